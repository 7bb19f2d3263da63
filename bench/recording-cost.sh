#!/usr/bin/env bash
# What per-request recording (requests.arrow) costs: avalanche requests/s with record_requests = true vs false,
# interleaved ABBA in PAIRS pairs (goal: median ratio true/false >= 0.9); then a MEM_SECONDS run recording and one
# not recording, the `kukai run` process's VmRSS and VmHWM sampled every second from /proc/PID/status (goal: flat
# after warm-up; the run without recording tells what recording adds).
# Usage: bench/recording-cost.sh [nginx|kukai-target] [PAIRS] [SECONDS] [CONNECTIONS] [MEM_SECONDS] [WARMUP_SECONDS]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:-nginx}"; pairs="${2:-3}"; seconds="${3:-10}"; conns="${4:-50}"; mem_seconds="${5:-60}"; warmup="${6:-10}"
out="$BENCH_OUT/recording-$target"; rm -rf "$out"; mkdir -p "$out"

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

# Memory of a long run, recording and (for comparison) not recording.
mem_run() { # mem_run RECORD
  config "$out/memory-$1.toml" "$1" "$mem_seconds"
  rm -rf "$out/memory-$1.results"
  local before; before="$(loadavg)"
  measured "$out/memory-$1" $((mem_seconds + 180)) dotnet "$KUKAI_DLL" run --config "$out/memory-$1.toml" --out "$out/memory-$1.results" --quiet > /dev/null
  echo "$before -> $(loadavg)" > "$out/memory-$1.load"
}
mem_run true
mem_run false
arrow_mb="$(du -m "$out/memory-true.results/requests.arrow" | cut -f1)"
rm -f "$out/memory-true.results/requests.arrow"
echo
python3 - "$out" "$warmup" "$mem_seconds" "$arrow_mb" <<'PY'
import json, sys, datetime
out, warmup, secs, arrow_mb = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
series = {}
for rec in ("true", "false"):
    s = json.load(open(f"{out}/memory-{rec}.results/summary.json"))
    started = datetime.datetime.fromisoformat(s["startedAt"].replace("Z", "+00:00")).timestamp()
    pts = [(float(r[0]) - started, int(r[3]) / 1024, int(r[4]) / 1024) for r in (l.split("\t") for l in open(f"{out}/memory-{rec}.samples"))]
    series[rec] = [p for p in pts if 0 <= p[0] <= secs + 0.5]
    load = open(f"{out}/memory-{rec}.load").read().strip()
    extra = f", requests.arrow {arrow_mb} MB" if rec == "true" else ""
    print(f"record_requests = {rec}: {secs:.0f} s, {s['aggregate']['count']} requests at {s['aggregate']['rps']:.0f}/s, "
          f"{s.get('recordedRequests') or 0} rows{extra}; load {load}")
print(" test_s | rec rss_mb  hwm_mb | norec rss_mb  hwm_mb")
t, f = series["true"], series["false"]
for mark in range(0, int(secs) + 1, 5):
    a = next((p for p in t if p[0] >= mark), None)
    b = next((p for p in f if p[0] >= mark), None)
    if a or b:
        fa = f"{a[1]:10.1f} {a[2]:7.1f}" if a else " " * 18
        fb = f"{b[1]:12.1f} {b[2]:7.1f}" if b else ""
        print(f"{mark:7d} | {fa} | {fb}")
for rec, pts in series.items():
    after = [p for p in pts if p[0] >= warmup]
    if len(after) >= 2:
        first, last = after[0], after[-1]
        peak = max(p[1] for p in after)
        print(f"record_requests = {rec}: after {warmup:.0f} s warm-up RSS {first[1]:.1f} -> {last[1]:.1f} MB "
              f"({last[1] - first[1]:+.1f} MB, {(last[1] - first[1]) / first[1] * 100:+.1f} %, "
              f"{(last[1] - first[1]) / max(1e-9, last[0] - first[0]):+.2f} MB/s), peak {peak:.1f} MB, VmHWM {last[2]:.1f} MB")
        half = [p for p in pts if p[0] >= secs / 2]
        print(f"record_requests = {rec}: second half of the run ({secs / 2:.0f}..{secs:.0f} s): RSS {half[0][1]:.1f} -> {half[-1][1]:.1f} MB "
              f"({half[-1][1] - half[0][1]:+.1f} MB), min {min(p[1] for p in half):.1f}, max {max(p[1] for p in half):.1f}")
PY
echo "raw outputs: $out"
