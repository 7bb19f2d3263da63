-- Open-loop pacing for wrk 4 (Debian's wrk has no -R): `wrk -t1 -cN -s pace.lua URL -- RATE`.
-- Every response asks delay() when its connection may send again; each call reserves the next free slot of one
-- global schedule (1/RATE apart), so the connections together hold RATE requests/s. wrk takes whole milliseconds,
-- so a request may go up to 1 ms early; when the schedule is behind (every connection busy), it sends at once and
-- catches up. Use one thread: the schedule is per thread. Latency is wrk's own: from the actual send (service time).
-- bench/wrk/pace-intended.lua builds on this file (through the global `pace`) to measure from the intended start.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } kukai_timespec;
int clock_gettime(int clock, kukai_timespec *ts);
]]
local ts = ffi.new("kukai_timespec")
local function now_ms() -- milliseconds
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- The schedule, shared with pace-intended.lua: the interval between slots and the first slot (set by the first delay()).
pace = { now_ms = now_ms, interval_ms = 1, start_at = nil }
local next_at = nil

function init(args)
  local rate = tonumber(args[1])
  if rate == nil or rate <= 0 then
    error("pace.lua: give the rate in requests/s after --")
  end
  pace.interval_ms = 1000 / rate
end

function delay()
  local now = now_ms()
  if next_at == nil then
    next_at = now
    pace.start_at = now
  end
  local wait = next_at - now
  next_at = next_at + pace.interval_ms
  if wait < 0 then
    return 0
  end
  return wait
end

function done(summary, latency, requests)
  io.write(string.format("pace: requests %d duration_us %d p50_us %d p90_us %d p99_us %d p999_us %d max_us %d errors %d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
