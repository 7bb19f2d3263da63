#!/usr/bin/env bash
# What per-request recording (requests.arrow) costs: avalanche requests/s with record_requests = true vs false,
# interleaved ABBA in PAIRS pairs (goal: median ratio true/false >= 0.9); then one MEM_SECONDS recording run with the
# `kukai run` process's VmRSS and VmHWM sampled every second from /proc/PID/status (goal: flat after warm-up).
# Usage: bench/recording-cost.sh [nginx|kukai-target] [PAIRS] [SECONDS] [CONNECTIONS] [MEM_SECONDS] [WARMUP_SECONDS]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:-nginx}"; pairs="${2:-3}"; seconds="${3:-10}"; conns="${4:-50}"; mem_seconds="${5:-60}"; warmup="${6:-10}"
out="$BENCH_OUT/recording"; rm -rf "$out"; mkdir -p "$out"

bench_build
trap bench_cleanup EXIT
start_target "$target" "$(free_port)"

config() { # config FILE RECORD DURATION
  cat > "$1" <<TOML
[load]
type = "avalanche"
concurrency = $conns
duration_seconds = $3
record_requests = $2
targets = [{ url = "$TARGET_URL" }]
TOML
}
config "$out/record-true.toml" true "$seconds"
config "$out/record-false.toml" false "$seconds"

run_one() { # run_one RECORD PAIR -> sets RPS, ROWS
  local p="$out/$1-$2"
  rm -rf "$p.results"
  measured "$p" $((seconds + 120)) dotnet "$KUKAI_DLL" run --config "$out/record-$1.toml" --out "$p.results" --quiet > /dev/null
  RPS="$(json "$p.results/summary.json" 'd["aggregate"]["rps"]')"
  ROWS="$(json "$p.results/summary.json" 'd.get("recordedRequests") or 0')"
  CPU="$(json "$p.json" 'd["cpu_s"]')"
  rm -f "$p.results/requests.arrow"
}

echo "target: $target ($TARGET_URL), $conns connections, $seconds s per run, $pairs interleaved pairs"
printf '%-5s %6s | %10s %10s %7s | %10s %7s | %7s\n' pair load rec_rps rows cpu_s norec_rps cpu_s ratio
tsv="$out/pairs.tsv"; : > "$tsv"
for p in $(seq 1 "$pairs"); do
  load="$(loadavg)"
  if ((p % 2)); then
    run_one true "$p"; t_rps=$RPS; t_rows=$ROWS; t_cpu=$CPU
    run_one false "$p"; f_rps=$RPS; f_cpu=$CPU
  else
    run_one false "$p"; f_rps=$RPS; f_cpu=$CPU
    run_one true "$p"; t_rps=$RPS; t_rows=$ROWS; t_cpu=$CPU
  fi
  ratio="$(awk -v a="$t_rps" -v b="$f_rps" 'BEGIN { printf "%.3f", a / b }')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$load" "$t_rps" "$t_rows" "$t_cpu" "$f_rps" "$f_cpu" "$ratio" >> "$tsv"
  printf '%-5s %6s | %10.0f %10s %7s | %10.0f %7s | %7s\n' "$p" "$load" "$t_rps" "$t_rows" "$t_cpu" "$f_rps" "$f_cpu" "$ratio"
done
med_ratio="$(cut -f8 "$tsv" | median)"
echo "median ratio record=true/false: $med_ratio (goal >= 0.9: $(awk -v r="$med_ratio" 'BEGIN { print (r >= 0.9 ? "met" : "NOT met") }')); load $(cut -f2 "$tsv" | tr '\n' ' ')"

# Memory of a long recording run.
config "$out/memory.toml" true "$mem_seconds"
load_before="$(loadavg)"
rm -rf "$out/memory.results"
measured "$out/memory" $((mem_seconds + 180)) dotnet "$KUKAI_DLL" run --config "$out/memory.toml" --out "$out/memory.results" --quiet > /dev/null
load_after="$(loadavg)"
rows="$(json "$out/memory.results/summary.json" 'd.get("recordedRequests") or 0')"
rps="$(json "$out/memory.results/summary.json" 'd["aggregate"]["rps"]')"
arrow_mb="$(du -m "$out/memory.results/requests.arrow" | cut -f1)"
started="$(epoch "$(json "$out/memory.results/summary.json" 'd["startedAt"]')")"
echo
echo "recording run: ${mem_seconds} s, $rows rows at $rps requests/s, requests.arrow $arrow_mb MB; load $load_before -> $load_after"
python3 - "$out/memory.samples" "$started" "$warmup" "$mem_seconds" <<'PY'
import sys
path, started, warmup, secs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
rows = [l.split("\t") for l in open(path)]
pts = [(float(r[0]) - started, int(r[3]) / 1024, int(r[4]) / 1024) for r in rows]
print(" test_s   rss_mb   hwm_mb")
nxt = 0
for t, rss, hwm in pts:
    if t >= nxt and t <= secs + 1:
        print(f"{t:7.0f} {rss:8.1f} {hwm:8.1f}")
        nxt = (int(t) // 5 + 1) * 5
during = [p for p in pts if 0 <= p[0] <= secs]
after = [p for p in during if p[0] >= warmup]
if after:
    first, last = after[0], after[-1]
    peak = max(p[1] for p in after)
    print(f"after warm-up ({warmup:.0f} s): RSS {first[1]:.1f} -> {last[1]:.1f} MB (growth {last[1] - first[1]:+.1f} MB, "
          f"{(last[1] - first[1]) / first[1] * 100:+.1f} %), peak RSS {peak:.1f} MB, VmHWM at end {last[2]:.1f} MB; "
          f"growth rate {(last[1] - first[1]) / max(1e-9, last[0] - first[0]):+.2f} MB/s")
PY
rm -f "$out/memory.results/requests.arrow"
echo "raw outputs: $out"
