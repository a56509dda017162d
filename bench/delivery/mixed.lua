-- wrk script for the mixed shadow-cost rows: the same paced schedule as paced.lua, but each connection alternates
-- its requests between two models, $PATH_A (the reference, /v2/models/flights/infer) and $PATH_B (a shadowed
-- deployment), so that both see the same moments of the machine and the difference of their p99 is the shadow
-- path's own cost, not the noise between two runs. Run wrk with as many threads as connections (-tN -cN): each
-- thread then has one connection, whose request() and response() alternate, which is how a request's latency is
-- taken here (from request() to response(), in Lua; wrk's own histogram mixes the two paths).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } ferry_mixed_timespec;
  int clock_gettime(int clock, ferry_mixed_timespec *tp);
]]
local ts = ffi.new("ferry_mixed_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local paths = { os.getenv("PATH_A"), os.getenv("PATH_B") }
local headers = { ["Content-Type"] = "application/json" }

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local interval, next_slot, turn, sent_at
function init(args)
  -- each thread keeps RATE / threads of the offered rate
  interval = 1000 / (tonumber(os.getenv("RATE") or "1000") / tonumber(os.getenv("THREADS") or "1"))
  turn = 0
  a_ms, b_ms, failed, late = {}, {}, 0, 0
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
  return math.floor(wait + 0.5)
end

function request()
  turn = 1 - turn
  sent_at = now_ms()
  return wrk.format("POST", paths[turn + 1], headers, body)
end

function response(status, hdrs, b)
  local took = now_ms() - sent_at
  if status ~= 200 then
    failed = failed + 1
  end
  if turn == 0 then
    a_ms[#a_ms + 1] = took
  else
    b_ms[#b_ms + 1] = took
  end
end

local function pct(sorted, p)
  if #sorted == 0 then
    return 0
  end
  local i = math.max(1, math.min(#sorted, math.ceil(#sorted * p / 100)))
  return sorted[i]
end

-- MIXED a_count a_p50 a_p99 a_p999 b_count b_p50 b_p99 b_p999 failed late seconds (latencies in µs)
function done(summary, latency, requests)
  local a, b, failed_all, late_all = {}, {}, 0, 0
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("a_ms")) do a[#a + 1] = v end
    for _, v in ipairs(t:get("b_ms")) do b[#b + 1] = v end
    failed_all = failed_all + t:get("failed")
    late_all = late_all + t:get("late")
  end
  table.sort(a)
  table.sort(b)
  local e = summary.errors
  io.write(string.format("MIXED %d %d %d %d %d %d %d %d %d %d %.3f\n",
    #a, pct(a, 50) * 1000, pct(a, 99) * 1000, pct(a, 99.9) * 1000,
    #b, pct(b, 50) * 1000, pct(b, 99) * 1000, pct(b, 99.9) * 1000,
    failed_all + e.connect + e.read + e.write + e.timeout, late_all, summary.duration / 1e6))
end
