-- wrk script for the switch-under-load phases: POST $BODY_FILE; count non-2xx answers and answers per
-- x-ferry-model-version (per thread, summed in done()); print one SWITCH line.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  versions = {}
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  local v = headers["x-ferry-model-version"] or headers["X-Ferry-Model-Version"] or "none"
  versions[v] = (versions[v] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  local non = 0
  local seen = {}
  for _, t in ipairs(threads) do
    non = non + t:get("non2xx")
    for v, n in pairs(t:get("versions")) do
      seen[v] = (seen[v] or 0) + n
    end
  end
  local list = {}
  for v, n in pairs(seen) do
    table.insert(list, "v" .. v .. "=" .. n)
  end
  table.sort(list)
  io.write(string.format("SWITCH %d %d %d %s\n", summary.requests, non, e.connect + e.read + e.write + e.timeout,
    table.concat(list, ",")))
end
