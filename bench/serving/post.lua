-- wrk script: POST the body in $BODY_FILE (and the binary header length in $HEADER_LENGTH, if set) to every request.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
local header = os.getenv("HEADER_LENGTH")
if header and header ~= "" then
  wrk.headers["Inference-Header-Content-Length"] = header
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d\n", summary.requests, latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration))
end
