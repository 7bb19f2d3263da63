#!/usr/bin/env bash
# Shared helpers for Kukai's benchmark scripts: build, free ports, targets on loopback, background processes ended
# by PID, process measurement (bench/measure.py), medians. Every wait here is bounded.
set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_OUT="${BENCH_OUT:-$BENCH_ROOT/bench/out}"
mkdir -p "$BENCH_OUT"
KUKAI_DLL="$BENCH_ROOT/.kukai/bin/kukai.dll"
MEASURE=(python3 "$BENCH_ROOT/bench/measure.py")
BENCH_PIDS=()
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

bench_build() {
  "$BENCH_ROOT/kukai" --help > /dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# The 1-minute load average: printed beside every measurement (2 cores: above ~2 the figures are from a busy machine).
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# busy_flag LOAD: "busy" when the 1-minute load average is at or above the core count.
busy_flag() { awk -v l="$1" -v c="$(nproc)" 'BEGIN { print (l >= c ? "busy" : "quiet") }'; }

# track PID: ended by bench_cleanup (in reverse order of start).
track() { BENCH_PIDS+=("$1"); }

# Ends tracked processes one by one, newest first (TERM, then KILL after 10 s), so e.g. the orchestrator stops before
# the Kafka cluster it talks to.
bench_cleanup() {
  local i pid
  for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
    pid="${BENCH_PIDS[$i]}"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
  [ -n "${NGINX_DIR:-}" ] && rm -rf "$NGINX_DIR"
  return 0
}

# wait_line FILE REGEX [SECONDS] [PID]: waits until FILE has a line matching REGEX (or PID, when given, has exited);
# prints the first such line.
wait_line() {
  local file="$1" regex="$2" limit="${3:-60}" pid="${4:-}"
  for _ in $(seq 1 $((limit * 10))); do
    if [ -f "$file" ] && grep -m1 -E "$regex" "$file"; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "bench: no line matching '$regex' in $file (limit ${limit}s); its stderr:" >&2
  tail -5 "${file%.log}.err" >&2 2>/dev/null || true
  return 1
}

wait_http() {
  for _ in $(seq 1 200); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.05
  done
  echo "bench: $1 did not answer" >&2
  return 1
}

# kukai_bg NAME ARGS...: `kukai ARGS` in the background, stdout in $BENCH_OUT/NAME.log, stderr in NAME.err; sets BG_PID.
kukai_bg() {
  local name="$1"; shift
  dotnet "$KUKAI_DLL" "$@" > "$BENCH_OUT/$name.log" 2> "$BENCH_OUT/$name.err" < /dev/null &
  BG_PID=$!
  track "$BG_PID"
}

# kafka_dev_start: `kukai kafka-dev` (KAFKA_BROKERS brokers, default 3); sets KAFKA_PID and KAFKA_BOOTSTRAP.
kafka_dev_start() {
  kukai_bg kafka-dev kafka-dev --brokers "${KAFKA_BROKERS:-3}"
  KAFKA_PID=$BG_PID
  KAFKA_BOOTSTRAP="$(wait_line "$BENCH_OUT/kafka-dev.log" '^[0-9.]+:[0-9]+' 60 "$KAFKA_PID" | grep -oE '^[0-9.:,]+')"
}

# orchestrator_start PORT DATA_DIR [ARGS...]: sets ORCH_PID and ORCH_URL.
orchestrator_start() {
  local port="$1" data="$2"; shift 2
  kukai_bg orchestrator orchestrator --kafka "$KAFKA_BOOTSTRAP" --listen "127.0.0.1:$port" --data-dir "$data" "$@"
  ORCH_PID=$BG_PID
  ORCH_URL="http://127.0.0.1:$port"
  wait_line "$BENCH_OUT/orchestrator.log" '^kukai orchestrator listening on' 90 "$ORCH_PID" > /dev/null
}

# nginx_start PORT: one worker on 127.0.0.1:PORT answering /ping with "pong"; sets NGINX_PID and NGINX_DIR.
nginx_start() {
  local port="$1"
  NGINX_DIR="$(mktemp -d /tmp/kukai-bench-nginx.XXXXXX)"
  cat > "$NGINX_DIR/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $NGINX_DIR/error.log;
pid $NGINX_DIR/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    # X-Seq echoes a request number for bench/wrk/pace.lua's intended-start latency; empty (not sent) otherwise.
    location /ping { default_type text/plain; add_header X-Seq \$arg_kukai_seq; return 200 "pong"; }
  }
}
CONF
  /usr/sbin/nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" &
  NGINX_PID=$!
  track "$NGINX_PID"
  wait_http "http://127.0.0.1:$port/ping"
}

# kukai_target_start PORT: `kukai target` on 127.0.0.1:PORT; sets TARGET_PID.
kukai_target_start() {
  local port="$1"
  kukai_bg target target --listen "127.0.0.1:$port"
  TARGET_PID=$BG_PID
  wait_http "http://127.0.0.1:$port/ping"
}

# start_target nginx|kukai-target PORT: sets TARGET_URL.
start_target() {
  case "$1" in
    nginx) "$BENCH_ROOT/scripts/ensure-prerequisites.sh" nginx; nginx_start "$2" ;;
    kukai-target) kukai_target_start "$2" ;;
    *) echo "bench: unknown target '$1' (nginx or kukai-target)" >&2; exit 2 ;;
  esac
  TARGET_URL="http://127.0.0.1:$2/ping"
}

# measured OUT_PREFIX TIMEOUT CMD...: runs CMD under measure.py; stdout in OUT_PREFIX.out, samples in
# OUT_PREFIX.samples, the measurement JSON in OUT_PREFIX.json (and printed).
measured() {
  local prefix="$1" timeout="$2"; shift 2
  "${MEASURE[@]}" run --samples "$prefix.samples" --timeout "$timeout" --stdout "$prefix.out" --stderr "$prefix.err" -- "$@" \
    | tee "$prefix.json"
}

# json FILE EXPR: evaluates a Python expression over the parsed JSON document `d`.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# epoch ISO8601: seconds since the epoch.
epoch() { python3 -c "import sys,datetime; print(datetime.datetime.fromisoformat(sys.argv[1].replace('Z','+00:00')).timestamp())" "$1"; }

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# kukai_steady_rps RESULTS_DIR: median per-second completions over the full seconds of the run (first and last excluded).
kukai_steady_rps() {
  python3 - "$1/timeseries.csv" <<'PY'
import csv, sys, statistics
rows = list(csv.DictReader(open(sys.argv[1])))
by = {}
for r in rows:
    by[int(r["second"])] = by.get(int(r["second"]), 0) + int(r["completed"])
secs = sorted(by)[1:-1] or sorted(by)
print(statistics.median(by[s] for s in secs) if secs else "nan")
PY
}

# kukai_steady_cpu RESULTS_DIR SAMPLES: CPU seconds per second of the client while it generated load
# (from 1 s after the test started to its end, on the sampled /proc figures).
kukai_steady_cpu() {
  local from to
  from="$(epoch "$(json "$1/summary.json" 'd["startedAt"]')")"
  to="$(epoch "$(json "$1/summary.json" 'd["endedAt"]')")"
  "${MEASURE[@]}" window "$2" "$(awk -v f="$from" 'BEGIN { printf "%.3f", f + 1 }')" "$to" | cut -d' ' -f1
}
