-- wrk script: POST one GraphQL request body, count the answers that are not the verified one.
--
-- Environment: BENCH_BODY_FILE (the JSON body to POST), BENCH_EXPECTED_BYTES (the length of
-- the answer verified before timing; 0 skips the check), BENCH_HEADERS (more headers, one
-- "name: value" per line). Prints one line
-- `BENCH_RESULT {json}` at the end, with latencies in microseconds.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

local file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.body = file:read("*a")
file:close()

local expected_bytes = tonumber(os.getenv("BENCH_EXPECTED_BYTES") or "0")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 or (expected_bytes > 0 and #body ~= expected_bytes) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"bad":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    bad_total))
end
