-- wrk script for the paced shadow-cost rows: POST $BODY_FILE at a fixed offered rate of $RATE requests a second
-- for the whole run (shared by all of wrk's connections, one thread: run wrk with -t1), so that the server is kept
-- well under its capacity and the latency reflects the request's own path, not a queue.
--
-- delay() hands each connection, when it is ready for its next request, the next free slot of one schedule
-- that advances by 1000 / RATE ms a request. A connection waits for its slot; a slot up to 10 ms past is sent at
-- once (wrk's timer works in whole milliseconds), and if the schedule has fallen further behind (every connection
-- was busy), it restarts from now instead of sending a burst, so a server that cannot keep up
-- shows up as an achieved rate below the offered one (printed by done()). wrk times a request from when it is
-- written, after the delay.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } ferry_paced_timespec;
  int clock_gettime(int clock, ferry_paced_timespec *tp);
]]
local ts = ffi.new("ferry_paced_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local rate = tonumber(os.getenv("RATE") or "1000")
local interval = 1000 / rate
local next_slot = nil
late = 0 -- times the schedule fell behind and restarted from now (a global, so that done() can read it)

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function delay()
  local now = now_ms()
  if next_slot == nil or next_slot < now - 10 then
    if next_slot ~= nil then
      late = late + 1
    end
    next_slot = now
  end
  local wait = next_slot - now
  next_slot = next_slot + interval
  -- wrk's timer is in whole milliseconds: round to the nearest, so that slots are kept to within 0.5 ms.
  return math.floor(wait + 0.5)
end

-- PACED requests achieved_rps p50_us p99_us p999_us errors duration_us late
-- (errors: non-2xx/3xx answers and socket errors; late: schedule restarts, 0 when the rate was kept)
function done(summary, latency, requests)
  local e = summary.errors
  local behind = 0
  for _, t in ipairs(threads) do
    behind = behind + t:get("late")
  end
  io.write(string.format("PACED %d %.1f %d %d %d %d %d %d\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    e.status + e.connect + e.read + e.write + e.timeout, summary.duration, behind))
end
