#!/usr/bin/env bash
# Kukai avalanche vs its peers on the same target with the same connection count, closed loop, as fast as each can:
# wrk (-t1), hey, h2load (--h1, -t1), Locust (headless, one process, FastHttpUser when available). Each round runs
# every tool once, the order rotating by one tool per round. Prints requests/s and client CPU-seconds per tool, and
# the median over rounds of each tool's requests/s relative to Kukai's in the same round.
# Usage: bench/peers.sh [nginx|kukai-target] [ROUNDS] [SECONDS] [CONNECTIONS] [TOOLS]   (TOOLS: "kukai wrk hey h2load locust"; WRK_THREADS=1 for wrk and h2load)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:-nginx}"; rounds="${2:-3}"; seconds="${3:-10}"; conns="${4:-50}"
read -r -a tools <<<"${5:-kukai wrk hey h2load locust}"
out="$BENCH_OUT/peers-$target"; rm -rf "$out"; mkdir -p "$out"

"$BENCH_ROOT/scripts/ensure-prerequisites.sh" wrk hey h2load locust
bench_build
trap bench_cleanup EXIT
port="$(free_port)"
start_target "$target" "$port"
cat > "$out/avalanche.toml" <<TOML
[load]
type = "avalanche"
concurrency = $conns
duration_seconds = $seconds
record_requests = false
targets = [{ url = "$TARGET_URL" }]
TOML

# run_tool TOOL ROUND: sets RPS and CPU (client CPU-seconds, rusage of the tool and its children).
run_tool() {
  local p="$out/$1-$2" limit=$((seconds + 60))
  case "$1" in
    kukai)
      rm -rf "$p.results"
      measured "$p" "$limit" dotnet "$KUKAI_DLL" run --config "$out/avalanche.toml" --out "$p.results" --quiet > /dev/null
      RPS="$(json "$p.results/summary.json" 'd["aggregate"]["rps"]')" ;;
    wrk)
      measured "$p" "$limit" wrk -t"${WRK_THREADS:-1}" -c"$conns" -d"${seconds}s" "$TARGET_URL" > /dev/null
      RPS="$(awk '/Requests\/sec:/ { print $2 }' "$p.out")" ;;
    hey)
      measured "$p" "$limit" hey -z "${seconds}s" -c "$conns" "$TARGET_URL" > /dev/null
      RPS="$(awk '/Requests\/sec:/ { print $2 }' "$p.out")" ;;
    h2load)
      measured "$p" "$limit" h2load --h1 -t"${WRK_THREADS:-1}" -c "$conns" -D "$seconds" "$TARGET_URL" > /dev/null
      RPS="$(grep -oE '[0-9.]+ req/s' "$p.out" | head -1 | cut -d' ' -f1)" ;;
    locust)
      measured "$p" "$limit" locust -f "$BENCH_ROOT/bench/locust/locustfile.py" --headless -u "$conns" -r "$conns" \
        -t "${seconds}s" --host "http://127.0.0.1:$port" --only-summary --csv "$p" --loglevel WARNING > /dev/null
      RPS="$(python3 -c 'import csv,sys; print(next(r["Requests/s"] for r in csv.DictReader(open(sys.argv[1])) if r["Name"] == "Aggregated"))' "${p}_stats.csv")" ;;
  esac
  CPU="$(json "$p.json" 'd["cpu_s"]')"
  [ -n "$RPS" ] || { echo "peers: no requests/s from $1 (see $p.out, $p.err)" >&2; RPS=nan; }
}

n=${#tools[@]}
echo "target: $target ($TARGET_URL), $conns connections, $seconds s, $rounds rounds, tools: ${tools[*]}"
tsv="$out/runs.tsv"; : > "$tsv"
for r in $(seq 1 "$rounds"); do
  for i in $(seq 0 $((n - 1))); do
    t="${tools[$(((i + r - 1) % n))]}"
    load="$(loadavg)"
    run_tool "$t" "$r"
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$load" "$RPS" "$CPU" >> "$tsv"
    printf 'round %s %-7s load %6s  %10.0f requests/s  %6.2f CPU-s  %8.0f requests/CPU-s\n' "$r" "$t" "$load" "$RPS" "$CPU" \
      "$(awk -v a="$RPS" -v c="$CPU" -v s="$seconds" 'BEGIN { print a * s / c }')"
  done
done
echo
printf '%-8s %12s %14s %16s\n' tool requests/s "vs kukai" "requests/CPU-s"
for t in "${tools[@]}"; do
  rps="$(awk -F'\t' -v t="$t" '$2 == t { print $4 }' "$tsv" | median)"
  eff="$(awk -F'\t' -v t="$t" -v s="$seconds" '$2 == t { print $4 * s / $5 }' "$tsv" | median)"
  ratio="$(awk -F'\t' -v t="$t" '$2 == "kukai" { k[$1] = $4 } $2 == t { x[$1] = $4 } END { for (r in x) if (r in k) print x[r] / k[r] }' "$tsv" | median)"
  printf '%-8s %12.0f %14.3f %16.0f\n' "$t" "$rps" "$ratio" "$eff"
done
echo "(requests/CPU-s: requests/s x seconds / whole-process CPU-seconds, start-up included; load average 1 min: $(cut -f3 "$tsv" | median) median, $(busy_flag "$(cut -f3 "$tsv" | median)"))"
echo "raw outputs: $out"
