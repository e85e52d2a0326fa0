-- wrk script: document checks against a running Concord node.
--
-- Environment:
--   CONCORD_KEY   an API key allowed to check (ncb.officer or frontline)
--   BATCH         documents per request (default 1)
--   RECORDED      how many documents the seed recorded, numbered L000000000 upwards (default 1000000)
--   HIT_EVERY     one document in this many is a recorded one (default 1000; the rest miss)
--   RATE          target requests per second over all threads; 0 runs flat out (default 0)
--   THREADS       the -t given to wrk, needed to share RATE between threads (default 2)
--   TARGET        "check" (default), or "live" for GET /health/live on the same schedule: a
--                 request that does no work, which shows the latency the machine alone adds
local batch = tonumber(os.getenv("BATCH") or "1")
local recorded = tonumber(os.getenv("RECORDED") or "1000000")
local hitEvery = tonumber(os.getenv("HIT_EVERY") or "1000")
local rate = tonumber(os.getenv("RATE") or "0")
local threadCount = tonumber(os.getenv("THREADS") or "2")
local target = os.getenv("TARGET") or "check"

if target == "check" then
  local key = os.getenv("CONCORD_KEY") or error("set CONCORD_KEY")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. key
elseif target ~= "live" then
  error("TARGET is check or live")
end

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
  if target == "live" then return wrk.format("GET", "/health/live") end
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
  -- Requests leave on a schedule, one every `interval` ms from each thread, whatever the
  -- answers take: a fixed pause after each answer would send fewer the slower the server gets.
  -- A thread that falls more than a second behind starts afresh rather than bursting.
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_usec; } concord_timeval;
    int gettimeofday(concord_timeval *tv, void *tz);
  ]]
  local clock = ffi.new("concord_timeval")
  local function milliseconds()
    ffi.C.gettimeofday(clock, nil)
    return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_usec) / 1000
  end
  local interval = threadCount * 1000 / rate
  local nextSend = nil

  function delay()
    local now = milliseconds()
    if nextSend == nil or nextSend < now - 1000 then nextSend = now end
    local wait = nextSend - now
    nextSend = nextSend + interval
    return math.max(0, math.floor(wait))
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
