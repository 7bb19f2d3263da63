#!/usr/bin/env bash
# Shared helpers for Kukai's benchmark scripts: build, free ports, nginx on loopback, CPU time of a command.
set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_OUT="${BENCH_OUT:-$BENCH_ROOT/bench/out}"
mkdir -p "$BENCH_OUT"
KUKAI_DLL="$BENCH_ROOT/.kukai/bin/kukai.dll"

bench_build() {
  "$BENCH_ROOT/kukai" --help > /dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
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
    location /ping { default_type text/plain; return 200 "pong"; }
  }
}
CONF
  /usr/sbin/nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" &
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$port/ping"
}

nginx_stop() {
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  [ -n "${NGINX_DIR:-}" ] && rm -rf "$NGINX_DIR"
  NGINX_PID=""
}

# kukai_target_start PORT: `kukai target` on 127.0.0.1:PORT; sets TARGET_PID.
kukai_target_start() {
  local port="$1"
  dotnet "$KUKAI_DLL" target --listen "127.0.0.1:$port" > "$BENCH_OUT/target.log" 2>&1 &
  TARGET_PID=$!
  wait_http "http://127.0.0.1:$port/ping"
}

kukai_target_stop() {
  [ -n "${TARGET_PID:-}" ] && kill "$TARGET_PID" 2>/dev/null && wait "$TARGET_PID" 2>/dev/null || true
  TARGET_PID=""
}

wait_http() {
  for _ in $(seq 1 200); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.05
  done
  echo "bench: $1 did not answer" >&2
  return 1
}

# cpu_of CMD...: runs CMD, prints "user+sys seconds" of it and its children to fd 3.
cpu_of() {
  local TIMEFORMAT='%3U %3S'
  local t
  t="$( { time "$@" > /dev/null 2>&1 ; } 2>&1 )"
  awk '{ printf "%.3f\n", $1 + $2 }' <<<"$t" >&3
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
