-- wrk script for `make bench`.
-- With a targets file (`wrk ... -- targets.tsv`), every wrk thread (one connection each) posts
-- its own learner's answers, one new question per request; without it, plain GETs.
-- Either way, done() prints one JSON line the driver reads.

local counter = 0
local targets = nil
local position = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  if args[1] == nil then
    return
  end
  targets = {}
  for line in io.lines(args[1]) do
    local thread, path, cookie, token, body = line:match("^(%d+)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if tonumber(thread) == id then
      table.insert(targets, { path, cookie, token, body })
    end
  end
end

function request()
  if targets == nil then
    return wrk.request()
  end
  position = position % #targets + 1
  local target = targets[position]
  return wrk.format("POST", target[1], {
    ["Cookie"] = target[2],
    ["X-CSRFToken"] = target[3],
    ["HX-Request"] = "true",
    ["Accept-Encoding"] = "gzip, br",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, target[4])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max
  ))
end
