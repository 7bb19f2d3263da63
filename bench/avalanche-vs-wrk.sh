#!/usr/bin/env bash
# Kukai avalanche vs wrk on the same target, interleaved: requests/s and requests per client CPU-second.
# Usage: bench/avalanche-vs-wrk.sh [nginx|kukai-target] [ROUNDS] [SECONDS] [CONNECTIONS]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:-nginx}"; rounds="${2:-3}"; seconds="${3:-10}"; conns="${4:-50}"

"$BENCH_ROOT/scripts/ensure-prerequisites.sh" nginx wrk
bench_build
port="$(free_port)"
trap 'nginx_stop; kukai_target_stop' EXIT
case "$target" in
  nginx) nginx_start "$port" ;;
  kukai-target) kukai_target_start "$port" ;;
  *) echo "usage: $0 [nginx|kukai-target] [ROUNDS] [SECONDS] [CONNECTIONS]" >&2; exit 2 ;;
esac
url="http://127.0.0.1:$port/ping"
config="$BENCH_OUT/avalanche.toml"
cat > "$config" <<TOML
[load]
type = "avalanche"
concurrency = $conns
duration_seconds = $seconds
record_requests = false
targets = [{ url = "$url" }]
TOML

echo "target: $target ($url), $conns connections, $seconds s, $rounds interleaved rounds"
printf '%-6s %14s %10s %14s %10s %8s\n' round wrk_rps wrk_cpu_s kukai_rps kukai_cpu_s ratio
: > "$BENCH_OUT/avalanche.tsv"
for r in $(seq 1 "$rounds"); do
  wrk_out="$BENCH_OUT/wrk-$r.txt"
  wrk_cpu="$( { cpu_of sh -c "wrk -t1 -c$conns -d${seconds}s --latency '$url' > '$wrk_out'" 3>&1 1>/dev/null ; } )"
  wrk_rps="$(awk '/Requests\/sec:/ { print $2 }' "$wrk_out")"

  out="$BENCH_OUT/kukai-$r"
  rm -rf "$out"
  kukai_cpu="$( { cpu_of dotnet "$KUKAI_DLL" run --config "$config" --out "$out" --quiet 3>&1 1>/dev/null ; } )"
  kukai_rps="$(python3 -c "import json; print(json.load(open('$out/summary.json'))['aggregate']['rps'])")"
  ratio="$(awk -v a="$kukai_rps" -v b="$wrk_rps" 'BEGIN { printf "%.3f", a / b }')"
  printf '%-6s %14.0f %10.2f %14.0f %10.2f %8s\n' "$r" "$wrk_rps" "$wrk_cpu" "$kukai_rps" "$kukai_cpu" "$ratio"
  printf '%s\t%s\t%s\t%s\t%s\n' "$wrk_rps" "$wrk_cpu" "$kukai_rps" "$kukai_cpu" "$ratio" >> "$BENCH_OUT/avalanche.tsv"
done
echo "median ratio (kukai/wrk requests/s): $(cut -f5 "$BENCH_OUT/avalanche.tsv" | median)"
echo "requests per client CPU-second: wrk $(awk -v s="$seconds" '{ print $1 * s / $2 }' "$BENCH_OUT/avalanche.tsv" | median), kukai $(awk -v s="$seconds" '{ print $3 * s / $4 }' "$BENCH_OUT/avalanche.tsv" | median)"
