-- pace.lua's open-loop pacing, plus latency from the intended start, as wrk2 and Kukai measure it:
-- `wrk -t1 -cN -s pace-intended.lua URL -- RATE`. Prints pace.lua's `pace:` line (wrk's own latency, from the actual
-- send) and an `intended:` line. The k-th request sent is due at the k-th slot of pace.lua's schedule (or at its actual
-- send, if wrk sent it early: wrk's timers take whole milliseconds); its latency runs from then to its response.
--
-- To pair a response with its request, each request carries its number in the query (`?kukai_seq=K`) and the target
-- must echo it in an `X-Seq` response header (the bench's nginx does: `add_header X-Seq $arg_kukai_seq`). Without the
-- echo, `intended:` counts every response as unmatched and prints no percentiles.
--
-- The measurement costs wrk CPU that pace.lua alone does not spend (a Lua call per request and one per response, with
-- a table of the response's headers): at 75 000 requests/s on this machine it takes wrk from about 80 % to about 90 %
-- of a core, where wrk starts to fall behind its schedule. Compare the two scripts' `pace:` lines to see the cost.
dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "") .. "pace.lua")

local now_ms = pace.now_ms
local pace_done = done

-- Intended starts by request number modulo RING, preallocated: a table grown by one entry per request rehashes ever
-- larger arrays and stalls the loop. At most one request per connection is in flight, far fewer than RING.
local RING = 65536
local due = {}
for i = 0, RING - 1 do
  due[i] = -1
end
local issued = 0    -- requests sent: each one's number
local scheduled = 0 -- requests sent since the schedule started: the next one's slot
local head, tail = nil, nil -- the request's text before and after its number

-- Read by done() through thread:get, so global: latency from the intended start and scheduling lag (actual send minus
-- intended start, 0 when early), each in microseconds (1 µs buckets below 10 ms, 100 µs buckets above) -> count;
-- responses that could not be paired with their request.
intended_hist = {}
lag_hist = {}
unmatched_n = 0

local function record(hist, ms)
  local us = math.floor(ms * 1000)
  if us >= 10000 then
    us = us - us % 100
  end
  hist[us] = (hist[us] or 0) + 1
end

local pace_init = init
function init(args)
  pace_init(args)
  -- wrk.format once, with a marker where the number goes: formatting every request costs wrk more CPU than sending it.
  local path = wrk.path .. (string.find(wrk.path, "?", 1, true) and "&" or "?") .. "kukai_seq="
  local text = wrk.format(nil, path .. "#")
  local at = string.find(text, path .. "#", 1, true) + #path
  head, tail = string.sub(text, 1, at - 1), string.sub(text, at + 1)
end

function request()
  local now = now_ms()
  -- Each connection's first request goes out before the first delay() starts the schedule: due when it is sent.
  local slot = now
  if pace.start_at then
    slot = pace.start_at + scheduled * pace.interval_ms
    scheduled = scheduled + 1
  end
  issued = issued + 1
  if slot > now then
    slot = now
  end
  record(lag_hist, now - slot)
  due[issued % RING] = slot
  return head .. issued .. tail
end

function response(status, headers, body)
  local k = tonumber(headers["X-Seq"])
  local slot = k and due[k % RING]
  if slot == nil or slot < 0 then
    unmatched_n = unmatched_n + 1
    return
  end
  due[k % RING] = -1
  record(intended_hist, now_ms() - slot)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- The 50th, 90th, 99th and 99.9th percentiles and the maximum of a histogram, and (as .n) how many values it holds.
local function percentiles(hist)
  local n, keys = 0, {}
  for us, count in pairs(hist) do
    n = n + count
    table.insert(keys, us)
  end
  table.sort(keys)
  local wanted = { 50, 90, 99, 99.9 }
  local out, seen, w = {}, 0, 1
  for _, us in ipairs(keys) do
    seen = seen + hist[us]
    while w <= #wanted and seen >= math.ceil(n * wanted[w] / 100) do
      out[w] = us
      w = w + 1
    end
  end
  out[5] = keys[#keys]
  out.n = n
  return out
end

function done(summary, latency, requests)
  pace_done(summary, latency, requests)
  local hist, lag, unmatched = {}, {}, 0
  local function merge(into, from)
    for us, count in pairs(from) do
      into[us] = (into[us] or 0) + count
    end
  end
  for _, thread in ipairs(threads) do
    merge(hist, thread:get("intended_hist"))
    merge(lag, thread:get("lag_hist"))
    unmatched = unmatched + thread:get("unmatched_n")
  end
  if next(hist) == nil then
    io.write(string.format("intended: measured 0 unmatched %d (the target does not echo X-Seq)\n", unmatched))
    return
  end
  local p, l = percentiles(hist), percentiles(lag)
  io.write(string.format("intended: measured %d unmatched %d p50_us %d p90_us %d p99_us %d p999_us %d max_us %d " ..
    "lag_p50_us %d lag_p99_us %d lag_max_us %d\n", p.n, unmatched, p[1], p[2], p[3], p[4], p[5], l[1], l[3], l[5]))
end
