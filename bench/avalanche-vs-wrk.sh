#!/usr/bin/env bash
# Kukai avalanche vs wrk on the same target, interleaved (ABBA: odd rounds wrk first, even rounds Kukai first):
# requests/s, and requests per client CPU-second both over the whole process (what a user pays, Kukai's .NET start,
# JIT and results files included) and in the steady state (client CPU sampled from /proc while load runs).
# Usage: bench/avalanche-vs-wrk.sh [nginx|kukai-target] [ROUNDS] [SECONDS] [CONNECTIONS]   (WRK_THREADS=1 env)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:-nginx}"; rounds="${2:-3}"; seconds="${3:-10}"; conns="${4:-50}"
out="$BENCH_OUT/avalanche-$target"; rm -rf "$out"; mkdir -p "$out"

"$BENCH_ROOT/scripts/ensure-prerequisites.sh" wrk
bench_build
trap bench_cleanup EXIT
start_target "$target" "$(free_port)"
config="$out/avalanche.toml"
cat > "$config" <<TOML
[load]
type = "avalanche"
concurrency = $conns
duration_seconds = $seconds
record_requests = false
targets = [{ url = "$TARGET_URL" }]
TOML

run_wrk() {
  local p="$out/wrk-$1"
  measured "$p" $((seconds + 30)) wrk -t"${WRK_THREADS:-1}" -c"$conns" -d"${seconds}s" --latency "$TARGET_URL" > /dev/null
  local n rps start end
  n="$(awk '/requests in/ { print $1 }' "$p.out")"
  rps="$(awk '/Requests\/sec:/ { print $2 }' "$p.out")"
  start="$(json "$p.json" 'd["start_epoch"]')"; end="$(json "$p.json" 'd["end_epoch"]')"
  WRK_RPS="$rps"; WRK_N="$n"; WRK_CPU="$(json "$p.json" 'd["cpu_s"]')"
  read -r WRK_USER WRK_SYS < <(json "$p.json" 'd["user_s"], d["sys_s"]' | tr -d '(),')
  WRK_STEADY="$("${MEASURE[@]}" window "$p.samples" "$(awk -v s="$start" 'BEGIN { printf "%.3f", s + 1 }')" "$end" | cut -d' ' -f1)"
}

run_kukai() {
  local p="$out/kukai-$1"
  rm -rf "$p.results"
  measured "$p" $((seconds + 60)) dotnet "$KUKAI_DLL" run --config "$config" --out "$p.results" --quiet > /dev/null
  KUKAI_RPS="$(json "$p.results/summary.json" 'd["aggregate"]["rps"]')"
  KUKAI_N="$(json "$p.results/summary.json" 'd["aggregate"]["count"]')"
  KUKAI_CPU="$(json "$p.json" 'd["cpu_s"]')"
  read -r KUKAI_USER KUKAI_SYS < <(json "$p.json" 'd["user_s"], d["sys_s"]' | tr -d '(),')
  KUKAI_STEADY_RPS="$(kukai_steady_rps "$p.results")"
  KUKAI_STEADY="$(kukai_steady_cpu "$p.results" "$p.samples")"
}

echo "target: $target ($TARGET_URL), $conns connections, $seconds s, $rounds interleaved rounds, wrk -t${WRK_THREADS:-1}, $(nproc) cores"
printf '%-5s %6s | %9s %6s %9s %9s | %9s %6s %9s %9s | %6s\n' round load wrk_rps cpu_s req/cpu-s steady kukai_rps cpu_s req/cpu-s steady ratio
tsv="$out/rounds.tsv"; : > "$tsv"
for r in $(seq 1 "$rounds"); do
  load="$(loadavg)"
  if ((r % 2)); then run_wrk "$r"; run_kukai "$r"; else run_kukai "$r"; run_wrk "$r"; fi
  row="$(awk -v wr="$WRK_RPS" -v wn="$WRK_N" -v wc="$WRK_CPU" -v ws="$WRK_STEADY" \
             -v kr="$KUKAI_RPS" -v kn="$KUKAI_N" -v kc="$KUKAI_CPU" -v ks="$KUKAI_STEADY" -v ksr="$KUKAI_STEADY_RPS" \
    'BEGIN { printf "%.0f\t%.2f\t%.0f\t%.0f\t%.0f\t%.2f\t%.0f\t%.0f\t%.3f", wr, wc, wn / wc, wr / ws, kr, kc, kn / kc, ksr / ks, kr / wr }')"
  per_req="$(awk -v wn="$WRK_N" -v wu="$WRK_USER" -v ws="$WRK_SYS" -v kn="$KUKAI_N" -v ku="$KUKAI_USER" -v ks="$KUKAI_SYS" \
    'BEGIN { printf "%.2f\t%.2f\t%.2f\t%.2f", 1e6 * wu / wn, 1e6 * ws / wn, 1e6 * ku / kn, 1e6 * ks / kn }')"
  printf '%s\t%s\t%s\t%s\n' "$r" "$load" "$row" "$per_req" >> "$tsv"
  IFS=$'\t' read -r wr wc wpc wps kr kc kpc kps ratio <<<"$row"
  printf '%-5s %6s | %9s %6s %9s %9s | %9s %6s %9s %9s | %6s\n' "$r" "$load" "$wr" "$wc" "$wpc" "$wps" "$kr" "$kc" "$kpc" "$kps" "$ratio"
done
col() { cut -f"$1" "$tsv" | median; }
echo "median requests/s: wrk $(col 3), kukai $(col 7); median ratio kukai/wrk $(col 11)"
echo "median requests per client CPU-second, whole process: wrk $(col 5), kukai $(col 9) (ratio $(awk -v a="$(col 9)" -v b="$(col 5)" 'BEGIN { printf "%.3f", a / b }'))"
echo "median requests per client CPU-second, steady state:  wrk $(col 6), kukai $(col 10) (ratio $(awk -v a="$(col 10)" -v b="$(col 6)" 'BEGIN { printf "%.3f", a / b }'))"
echo "median client CPU per request (whole process): wrk $(col 12) us user + $(col 13) us system, kukai $(col 14) us user + $(col 15) us system"
echo "load average 1 min: $(cut -f2 "$tsv" | tr '\n' ' ')($(busy_flag "$(cut -f2 "$tsv" | median)")); raw outputs: $out"
