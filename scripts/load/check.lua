-- wrk script: document checks against a running Concord node.
--
-- Environment:
--   CONCORD_KEY   an API key allowed to check (ncb.officer or frontline)
--   BATCH         documents per request (default 1)
--   RECORDED      how many documents the seed recorded, numbered L000000000 upwards (default 1000000)
--   HIT_EVERY     one document in this many is a recorded one (default 1000; the rest miss)
--   RATE          target requests per second over all connections; 0 runs flat out (default 0)
--   CONNECTIONS   the -c given to wrk, needed to spread RATE (default 64)
local batch = tonumber(os.getenv("BATCH") or "1")
local recorded = tonumber(os.getenv("RECORDED") or "1000000")
local hitEvery = tonumber(os.getenv("HIT_EVERY") or "1000")
local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "64")
local key = os.getenv("CONCORD_KEY") or error("set CONCORD_KEY")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

local threads = {}
counter = 0
failures = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

local function number()
  counter = counter + 1
  if counter % hitEvery == 0 then
    return string.format("L%09d", math.random(0, recorded - 1))
  end
  return string.format("M%09d", math.random(0, 999999999))
end

function request()
  local documents = {}
  for i = 1, batch do
    documents[i] = '{"issuer":"FRA","type":"passport","number":"' .. number() .. '"}'
  end
  local body = '{"documents":[' .. table.concat(documents, ",") .. ']}'
  return wrk.format(nil, "/v1/documents/check", nil, body)
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

if rate > 0 then
  -- Each connection waits this long between requests, so that together they send RATE/s.
  function delay()
    return connections * 1000 / rate
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("failures") end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "requests/s %.0f  documents/s %.0f  p50 %.2f ms  p99 %.2f ms  max %.2f ms  non-200 %d  socket errors %d\n",
    summary.requests / seconds, summary.requests * batch / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
