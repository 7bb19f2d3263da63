#!/usr/bin/env bash
# What ingesting driver reports costs the orchestrator. Kafka mode: for each N, a fresh `kukai kafka-dev` and
# `kukai orchestrator` with the dashboard's event stream open (curl -N /api/events); bench/IngestBench registers N
# simulated drivers over Kafka, starts a test through the REST API and sends, per driver and second, a heartbeat and
# one realistic report (histograms of a few hundred buckets) for SECONDS seconds, then finished messages. The
# orchestrator's CPU (and kafka-dev's) is read from /proc/PID/stat at every report second; the first WARMUP seconds
# are left out. In-process mode: the orchestrator runtime in the tool's process over InProcessHub (no Kafka, no HTTP),
# its CPU = process CPU minus the simulation thread's. Goal: <= 25 % of one core.
# Usage: bench/orchestrator-ingest.sh [kafka|inprocess|inprocess-poll] [DRIVERS...]   (env REPORT_SECONDS=30 WARMUP=5)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mode="${1:-kafka}"; shift || true
seconds="${REPORT_SECONDS:-30}"; warmup="${WARMUP:-5}"
if [ $# -gt 0 ]; then drivers=("$@"); elif [ "$mode" = kafka ]; then drivers=(10 100 250 500 1000); else drivers=(10000); fi
out="$BENCH_OUT/ingest-$mode"; rm -rf "$out"; mkdir -p "$out"

bench_build
tool_dir="$BENCH_OUT/ingest-bench-bin"
echo "building bench/IngestBench..."
dotnet build "$BENCH_ROOT/bench/IngestBench/IngestBench.csproj" -c Release -o "$tool_dir" -nologo -v quiet > "$out/build.log" 2>&1 \
  || { cat "$out/build.log" >&2; exit 3; }
trap bench_cleanup EXIT

tsv="$out/results.tsv"; : > "$tsv"
for n in "${drivers[@]}"; do
  load="$(loadavg)"
  log="$out/n$n.log"
  if [ "$mode" = kafka ]; then
    kafka_dev_start
    orchestrator_start "$(free_port)" "$out/data-$n"
    curl -sN "$ORCH_URL/api/events" > /dev/null &
    track $!
    timeout $((seconds + 600)) dotnet "$tool_dir/ingest-bench.dll" kafka --kafka "$KAFKA_BOOTSTRAP" --orchestrator "$ORCH_URL" \
      --orchestrator-pid "$ORCH_PID" --kafka-pid "$KAFKA_PID" --drivers "$n" --seconds "$seconds" --warmup "$warmup" > "$log" 2>&1 || true
    bench_cleanup
    cp "$BENCH_OUT/orchestrator.err" "$out/orchestrator-$n.err"
  else
    poll=(); [ "$mode" = inprocess-poll ] && poll=(--poll)
    timeout $((seconds + 900)) dotnet "$tool_dir/ingest-bench.dll" inprocess --drivers "$n" --seconds "$seconds" --warmup "$warmup" \
      --data-dir "$out/data-$n" "${poll[@]}" > "$log" 2>&1 || true
  fi
  rm -rf "$out/data-$n"
  load_after="$(loadavg)"
  result="$(grep -m1 '^result ' "$log" | cut -d' ' -f2- || true)"
  if [ -z "$result" ]; then
    echo "N=$n: no result (see $log)"; tail -5 "$log"; continue
  fi
  echo "$result" > "$out/n$n.json"
  python3 - "$out/n$n.json" "$n" "$load" "$load_after" >> "$tsv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = lambda v: "nan" if v is None else f"{v:.1f}"
ok = d["finalState"] == "completed" and d["count"] == d["expectedCount"]
print("\t".join([sys.argv[2], sys.argv[3], sys.argv[4], f(d["cpuPercentMean"]), f(d["cpuPercentMedian"]), f(d["cpuPercentMax"]),
      f(d.get("kafkaCpuPercentMean")), f(d.get("simulationCpuPercentMean")), str(d.get("catchUpSeconds")), str(d["finalState"]),
      "exact" if ok else f'{d["count"]}/{d["expectedCount"]}', str(d.get("lostDrivers")), str(d["reportBytes"]), str(d["latencyBuckets"])]))
PY
  tail -1 "$tsv" | awk -F'\t' '{ printf "N=%s load %s->%s: CPU %% of one core mean %s median %s max %s; kafka-dev %s; %s, counts %s, lost %s, catch-up %s s\n", $1, $2, $3, $4, $5, $6, $7, $10, $11, $12, $9 }'
done

echo
echo "mode $mode, $seconds s of reports per driver (first $warmup s left out), one report $(cut -f13 "$tsv" | head -1) bytes, $(cut -f14 "$tsv" | head -1) latency buckets"
printf '%7s %11s | %8s %8s %8s | %9s %8s | %8s %10s %10s %5s\n' drivers load cpu%mean median max kafka% sim% catchup_s state counts lost
awk -F'\t' '{ printf "%7s %11s | %8s %8s %8s | %9s %8s | %8s %10s %10s %5s\n", $1, $2 "->" $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$tsv"
echo "goal: orchestrator <= 25 % of one core; raw outputs: $out"
