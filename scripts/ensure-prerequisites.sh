#!/usr/bin/env bash
# Installs the Debian packages Kukai needs when they are missing. Usage: ensure-prerequisites.sh NAME...
# Names: librdkafka (Kafka client library), npm (dashboard assets at build time), chromium (browser tests),
# nginx, wrk, hey, h2load, locust (benchmarks).
set -euo pipefail

packages=()
for name in "$@"; do
  case "$name" in
    librdkafka) ldconfig -p 2>/dev/null | grep -q 'librdkafka\.so\.1' || packages+=(librdkafka1) ;;
    chromium) command -v chromium >/dev/null || packages+=(chromium) ;;
    npm) command -v npm >/dev/null || packages+=(nodejs npm) ;;
    nginx) command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || packages+=(nginx-light) ;;
    wrk) command -v wrk >/dev/null || packages+=(wrk) ;;
    hey) command -v hey >/dev/null || packages+=(hey) ;;
    h2load) command -v h2load >/dev/null || packages+=(nghttp2-client) ;;
    locust) command -v locust >/dev/null || packages+=(python3-locust) ;;
    *) echo "ensure-prerequisites: unknown name '$name'" >&2; exit 2 ;;
  esac
done

[ ${#packages[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "kukai: missing packages ${packages[*]}: install them with apt-get (needs root)" >&2
    exit 3
  fi
fi

echo "kukai: installing ${packages[*]} (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -q "${packages[@]}" >/tmp/kukai-apt.log 2>&1; then
  $sudo apt-get update -q >>/tmp/kukai-apt.log 2>&1 || true
  if ! $sudo apt-get install -y -q "${packages[@]}" >>/tmp/kukai-apt.log 2>&1; then
    cat /tmp/kukai-apt.log >&2
    echo "kukai: could not install ${packages[*]}" >&2
    exit 3
  fi
fi
