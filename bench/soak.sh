#!/usr/bin/env bash
# Soak: SOAK_MINUTES (default 30) of avalanche at full speed through the whole system — a `kukai kafka-dev`, a
# `kukai orchestrator`, one `kukai driver` and a target on 127.0.0.1 — the test started through the REST API with
# durationSeconds. The driver's RSS, open handles (/proc/PID/fd) and threads are sampled every SOAK_SAMPLE seconds
# (default 10); after the warm-up (SOAK_WARMUP seconds, default a sixth of the run, at most 120) each must stay within
# +-10 % of its median and end within +-10 % of where it started (the linear trend per minute is printed too). The
# orchestrator is sampled too, for information.
# Usage: SOAK_MINUTES=30 bench/soak.sh [nginx|kukai-target] [CONNECTIONS]   (SOAK_RECORD=false|true|fraction)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:-nginx}"; conns="${2:-50}"
minutes="${SOAK_MINUTES:-30}"; every="${SOAK_SAMPLE:-10}"; record="${SOAK_RECORD:-false}"
duration=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
warmup="${SOAK_WARMUP:-$(( duration / 6 < 120 ? duration / 6 : 120 ))}"
out="$BENCH_OUT/soak"; rm -rf "$out"; mkdir -p "$out"

bench_build
trap bench_cleanup EXIT
start_target "$target" "$(free_port)"
kafka_dev_start
orchestrator_start "$(free_port)" "$out/data"
kukai_bg driver driver --kafka "$KAFKA_BOOTSTRAP" --orchestrator "${ORCH_URL#http://}" --id soak-driver
DRIVER_PID=$BG_PID
wait_line "$BENCH_OUT/driver.log" '^kukai driver soak-driver ready' 90 "$DRIVER_PID" > /dev/null
for _ in $(seq 1 120); do
  curl -fs "$ORCH_URL/api/drivers" | python3 -c 'import json,sys; sys.exit(0 if any(d["id"] == "soak-driver" and d["state"] == "idle" for d in json.load(sys.stdin)) else 1)' && break
  sleep 0.5
done

load_start="$(loadavg)"
plan="{\"type\":\"avalanche\",\"concurrency\":$conns,\"durationSeconds\":$duration,\"recordRequests\":$record,\"targets\":[{\"url\":\"$TARGET_URL\"}]}"
curl -fs -XPOST "$ORCH_URL/api/tests" -H 'content-type: application/json' -d "$plan" > "$out/created.json"
test_id="$(json "$out/created.json" 'd["id"]')"
echo "soak: test $test_id, $minutes min avalanche, $conns connections, record_requests $record, target $target; load $load_start"
"${MEASURE[@]}" watch --pid "$DRIVER_PID" --interval "$every" --duration $((duration + 60)) --samples "$out/driver.samples" > "$out/driver.watch.json" &
track $!
"${MEASURE[@]}" watch --pid "$ORCH_PID" --interval "$every" --duration $((duration + 60)) --samples "$out/orchestrator.samples" > "$out/orchestrator.watch.json" &
track $!

state=""
for _ in $(seq 1 $(((duration + 300) / 5))); do
  sleep 5
  state="$(curl -fs "$ORCH_URL/api/tests/$test_id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' || echo unknown)"
  case "$state" in completed|failed|stopped) break ;; esac
done
load_end="$(loadavg)"
curl -fs "$ORCH_URL/api/tests/$test_id" > "$out/test.json"
echo "test $state: $(json "$out/test.json" '"%d requests, %.0f requests/s, %d errors, p99 %.3f ms" % (d["stats"]["aggregate"]["count"], d["stats"]["aggregate"]["rps"], d["stats"]["aggregate"]["count"] - d["stats"]["aggregate"]["ok"], d["stats"]["aggregate"]["latencyMs"]["p99"])'); load $load_start -> $load_end"

python3 - "$out" "$warmup" "$duration" <<'PY'
import json, sys, statistics
out, warmup, duration = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
test = json.load(open(f"{out}/test.json"))
import datetime
start = datetime.datetime.fromisoformat(test["startAt"].replace("Z", "+00:00")).timestamp()

def load(name):
    rows = []
    for line in open(f"{out}/{name}.samples"):
        p = line.split("\t")
        rows.append((float(p[0]) - start, float(p[2]), int(p[3]) / 1024, int(p[5]), int(p[6])))
    return [r for r in rows if 0 <= r[0] <= duration]

for name in ("driver", "orchestrator"):
    rows = load(name)
    if not rows:
        print(f"{name}: no samples"); continue
    step = 10 if duration <= 300 else 60
    print(f"\n{name}: t_s  cpu%  rss_mb  threads  fds")
    nxt, prev = 0, None
    for t, cpu, rss, th, fd in rows:
        if t >= nxt:
            rate = "" if prev is None else f"{100 * (cpu - prev[1]) / (t - prev[0]):5.0f}"
            print(f"  {t:6.0f} {rate:>5} {rss:7.1f} {th:8d} {fd:4d}")
            prev = (t, cpu)
            nxt = (int(t) // step + 1) * step
    after = [r for r in rows if r[0] >= warmup]
    if name == "driver":
        verdicts = []
        for label, i in (("RSS", 2), ("threads", 3), ("handles", 4)):
            vals = [r[i] for r in after]
            med = statistics.median(vals)
            lo, hi = min(vals), max(vals)
            dev = max(hi - med, med - lo) / med * 100 if med else 0
            drift = (after[-1][i] - after[0][i]) / after[0][i] * 100 if after[0][i] else 0
            n = len(after)
            mt = sum(r[0] for r in after) / n
            mv = sum(r[i] for r in after) / n
            den = sum((r[0] - mt) ** 2 for r in after)
            slope = sum((r[0] - mt) * (r[i] - mv) for r in after) / den * 60 if den else 0
            ok = dev <= 10 and abs(drift) <= 10
            verdicts.append(ok)
            print(f"  {label}: after {warmup:.0f} s warm-up median {med:.1f}, min {lo:.1f}, max {hi:.1f} (max deviation {dev:.1f} %); "
                  f"first->last {after[0][i]:.1f} -> {after[-1][i]:.1f} ({drift:+.1f} %), trend {slope:+.2f}/min: "
                  f"{'flat' if ok else 'NOT flat'} at +-10 %")
        print(f"  driver flat: {'yes' if all(verdicts) else 'no'}")
PY
echo "raw outputs: $out"
