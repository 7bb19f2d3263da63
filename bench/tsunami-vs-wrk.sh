#!/usr/bin/env bash
# Kukai tsunami vs paced wrk at the same rate: half of the maximum rate that a Kukai avalanche reaches on the target.
# Kukai's p99 latency (from the intended start) and service time vs wrk's p99 two ways: wrk 4 paced by
# bench/wrk/pace.lua (wrk's own latency, from the actual send) and, in a run of its own, paced and measured from the
# intended start by bench/wrk/pace-intended.lua (needs the target to echo X-Seq: nginx here does, `kukai target` does
# not, so that column is "-" there). Also the rate each achieved, Kukai's late and dropped requests and the share of
# scheduled requests sent, sent / (sent + dropped). The three runs of a round rotate order (wrk, wrk-intended, Kukai,
# then backwards). Kukai's per-second p99s (timeseries.csv) show the first second (a cold process: JIT, connections
# opened on demand) apart from the steady state.
# Usage: bench/tsunami-vs-wrk.sh [nginx|kukai-target] [ROUNDS] [SECONDS] [CONNECTIONS]   (RATE=N skips the search)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:-nginx}"; rounds="${2:-3}"; seconds="${3:-20}"; conns="${4:-50}"
out="$BENCH_OUT/tsunami-$target"; rm -rf "$out"; mkdir -p "$out"

"$BENCH_ROOT/scripts/ensure-prerequisites.sh" wrk
bench_build
trap bench_cleanup EXIT
start_target "$target" "$(free_port)"

if wrk -R 1 -d1s -c1 -t1 "$TARGET_URL" > /dev/null 2>&1; then
  echo "note: this wrk accepts -R (wrk2); pacing with the Lua script anyway, for the same method on every machine"
fi

if [ -z "${RATE:-}" ]; then
  cat > "$out/max.toml" <<TOML
[load]
type = "avalanche"
concurrency = $conns
duration_seconds = $seconds
record_requests = false
targets = [{ url = "$TARGET_URL" }]
TOML
  max_load="$(loadavg)"
  measured "$out/max" $((seconds + 60)) dotnet "$KUKAI_DLL" run --config "$out/max.toml" --out "$out/max.results" --quiet > /dev/null
  max="$(json "$out/max.results/summary.json" 'd["aggregate"]["rps"]')"
  RATE="$(awk -v m="$max" 'BEGIN { printf "%d", m / 2 }')"
  echo "maximum rate (Kukai avalanche, $conns connections, $seconds s, load $max_load): $max requests/s -> tsunami at $RATE requests/s"
fi

cat > "$out/tsunami.toml" <<TOML
[load]
type = "tsunami"
rps = $RATE
connections = $conns
duration_seconds = $seconds
record_requests = false
targets = [{ url = "$TARGET_URL" }]
TOML

run_wrk() {
  local p="$out/wrk-$1"
  measured "$p" $((seconds + 30)) wrk -t1 -c"$conns" -d"${seconds}s" -s "$BENCH_ROOT/bench/wrk/pace.lua" "$TARGET_URL" -- "$RATE" > /dev/null
  read -r W_N W_DUR W_P50 W_P90 W_P99 W_P999 W_MAX W_ERR < <(awk '/^pace:/ { print $3, $5, $7, $9, $11, $13, $15, $17 }' "$p.out")
  W_RPS="$(awk -v n="$W_N" -v d="$W_DUR" 'BEGIN { printf "%.0f", n / (d / 1e6) }')"
}

# wrk measuring from the intended start: WI_P99 and WI_LAG99 (scheduling lag) in ms ("-" when the target does not echo
# X-Seq), WI_RPS, and WI_SVC99, wrk's own p99 in the same run (the measurement's CPU cost shows as the difference from
# run_wrk's).
run_wrk_intended() {
  local p="$out/wrk-intended-$1"
  measured "$p" $((seconds + 30)) wrk -t1 -c"$conns" -d"${seconds}s" -s "$BENCH_ROOT/bench/wrk/pace-intended.lua" "$TARGET_URL" -- "$RATE" > /dev/null
  read -r WI_N WI_DUR WI_SVC99 < <(awk '/^pace:/ { print $3, $5, $11 / 1000 }' "$p.out")
  WI_RPS="$(awk -v n="$WI_N" -v d="$WI_DUR" 'BEGIN { printf "%.0f", n / (d / 1e6) }')"
  read -r WI_P99 WI_LAG99 < <(awk '/^intended:/ { if ($3 > 0) print $11 / 1000, $19 / 1000; else print "-", "-" }' "$p.out")
}

run_kukai() {
  local p="$out/kukai-$1"
  rm -rf "$p.results"
  measured "$p" $((seconds + 60)) dotnet "$KUKAI_DLL" run --config "$out/tsunami.toml" --out "$p.results" --quiet > /dev/null
  read -r K_RPS K_SENT K_LATE K_DROP K_P50 K_P99 K_P999 K_S99 K_ERR < <(json "$p.results/summary.json" \
    '" ".join(str(x) for x in (d["aggregate"]["rps"], d["aggregate"]["sent"], d["aggregate"]["late"], d["aggregate"]["dropped"], d["aggregate"]["latencyMs"]["median"], d["aggregate"]["latencyMs"]["p99"], d["aggregate"]["latencyMs"]["p999"], d["aggregate"]["serviceTimeMs"]["p99"], d["aggregate"]["count"] - d["aggregate"]["ok"]))')
  K_LAG99="$(json "$p.results/summary.json" 'd["aggregate"]["scheduleLagMs"]["p99"]')"
  # Of the late requests, the share that waited mostly for a busy connection (the rest: the generator was behind).
  K_BUSY="$(json "$p.results/summary.json" '"%.1f" % (100 * d["aggregate"]["lateConnectionsBusy"] / d["aggregate"]["late"]) if d["aggregate"]["late"] else "-"')"
  # Per-second p99 (latency from the intended start) of the first second and of the full seconds after it.
  read -r K_FIRST99 K_STEADY99 K_STEADYMAX99 < <(python3 - "$p.results/timeseries.csv" <<'PY'
import csv, statistics, sys
rows = sorted(csv.DictReader(open(sys.argv[1])), key=lambda r: int(r["second"]))
p99 = [float(r["p99_ms"]) for r in rows]
steady = p99[1:-1] or p99
print("%.3f %.3f %.3f" % (p99[0], statistics.median(steady), max(steady)))
PY
)
}

echo "target: $target ($TARGET_URL), $RATE requests/s, $conns connections, $seconds s, $rounds interleaved rounds"
printf '%-5s %6s | %8s %8s %8s %8s | %8s %8s %8s | %8s %8s %8s %8s %8s %7s %7s | %7s %7s | %9s %9s %9s\n' \
  round load wrk_rps p50_ms p99_ms p999_ms wi_rps wi_p99 wi_svc99 k_rps p50_ms p99_ms p999_ms svc99_ms late% sent% \
  p99_k/w k/wi 1st_s_p99 steady_p99 steady_max
tsv="$out/rounds.tsv"; : > "$tsv"
for r in $(seq 1 "$rounds"); do
  load="$(loadavg)"
  if ((r % 2)); then run_wrk "$r"; run_wrk_intended "$r"; run_kukai "$r"; else run_kukai "$r"; run_wrk_intended "$r"; run_wrk "$r"; fi
  K_WI="$(awk -v k="$K_P99" -v w="$WI_P99" 'BEGIN { if (w == "-" || w == 0) print "-"; else printf "%.2f", k / w }')"
  row="$(awk -v wr="$W_RPS" -v w50="$W_P50" -v w99="$W_P99" -v w999="$W_P999" -v kr="$K_RPS" -v k50="$K_P50" -v k99="$K_P99" \
    -v k999="$K_P999" -v ks99="$K_S99" -v sent="$K_SENT" -v late="$K_LATE" -v drop="$K_DROP" \
    'BEGIN { printf "%.0f\t%.3f\t%.3f\t%.3f\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%.3f\t%.2f", wr, w50 / 1000, w99 / 1000, w999 / 1000, kr, k50, k99, k999, ks99, 100 * late / sent, 100 * sent / (sent + drop), k99 / (w99 / 1000) }')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$load" "$row" "$K_LATE" "$K_DROP" "$K_ERR" "$K_FIRST99" \
    "$K_STEADY99" "$K_STEADYMAX99" "$K_LAG99" "$WI_RPS" "$WI_P99" "$WI_SVC99" "$K_WI" "$WI_LAG99" "$K_BUSY" >> "$tsv"
  IFS=$'\t' read -r a b c d e f g h i j k l <<<"$row"
  printf '%-5s %6s | %8s %8s %8s %8s | %8s %8s %8s | %8s %8s %8s %8s %8s %7s %7s | %7s %7s | %9s %9s %9s\n' "$r" "$load" "$a" "$b" "$c" "$d" \
    "$WI_RPS" "$WI_P99" "$WI_SVC99" "$e" "$f" "$g" "$h" "$i" "$j" "$k" "$l" "$K_WI" "$K_FIRST99" "$K_STEADY99" "$K_STEADYMAX99"
done
col() { cut -f"$1" "$tsv" | median; }
echo "median p99: kukai $(col 9) ms (service time $(col 11) ms), wrk $(col 5) ms; median ratio kukai/wrk $(col 14)"
intended_measured=$([ "$(cut -f23 "$tsv" | head -1)" != "-" ] && echo yes || echo no) # the target echoes X-Seq
if [ "$intended_measured" = yes ]; then
  echo "wrk from the intended start (pace-intended.lua): median p99 $(col 23) ms at $(col 22) requests/s (its own p99 in that run $(col 24) ms); median ratio kukai/wrk-intended $(col 25)"
fi
echo "kukai per-second p99 (from timeseries.csv): first second $(col 18) ms; later full seconds: median $(col 19) ms, worst $(col 20) ms"
echo "median achieved rate: kukai $(col 7), wrk $(col 3) (asked $RATE); kukai late $(col 12) % of sent ($(col 27) % of them waited for a busy connection, the rest found one free), sent/(sent+dropped) $(col 13) %"
echo "kukai scheduling lag (actual minus intended send) p99, median of rounds: $(col 21) ms (summary.json scheduleLagMs)"
if [ "$intended_measured" = yes ]; then
  echo "wrk scheduling lag p99 (pace-intended.lua), median of rounds: $(col 26) ms"
fi
echo "load average 1 min: $(cut -f2 "$tsv" | tr '\n' ' ')($(busy_flag "$(cut -f2 "$tsv" | median)")); raw outputs: $out"
