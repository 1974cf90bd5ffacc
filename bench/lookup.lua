-- wrk script of bench/lookup-load.sh: rotates through the caller-ID samples.
--   wrk ... -s bench/lookup.lua http://127.0.0.1:PORT -- SAMPLES_TSV PATH_PREFIX
-- SAMPLES_TSV: first column is the URL-encoded caller ID (see DataGenerator.cs); PATH_PREFIX such as
-- /api/customers/by-phone/. Each wrk thread starts at its own offset. done() prints one line:
--   WRK <requests/s> <p50 ms> <p99 ms> <requests> <non-2xx> <socket errors>

local threads = {}
local paths = {}
local count = 0
local position = 0

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, prefix = args[1], args[2]
  for line in io.lines(file) do
    local encoded = line:match("^([^\t]+)")
    if encoded then
      count = count + 1
      paths[count] = prefix .. encoded
    end
  end
  position = ((thread_index or 0) * 7919) % count
end

function request()
  position = position % count + 1
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("WRK\t%.1f\t%.2f\t%.2f\t%d\t%d\t%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.requests,
    e.status,
    e.connect + e.read + e.write + e.timeout))
end
