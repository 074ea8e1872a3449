-- wrk script of `make bench`: every request POSTs the JSON file named by $BENCH_BODY to the
-- URL given to wrk, with `Authorization: Bearer $BENCH_KEY` when BENCH_KEY is set (the API
-- key of predict-fcgi's keys file; the anchors ignore the header). The request is built
-- once, with no request()/response() callbacks, so Lua costs nothing per request. done()
-- prints one line of key=value pairs for scripts/bench/run:
--
--   BENCH rps=… requests=… seconds=… p50_us=… p90_us=… p99_us=… max_us=… non2xx=…
--         socket_errors=…   (all on one line)
--
-- non2xx is wrk's count of statuses ≥ 400 (none of the benchmarked services answers 1xx or
-- 3xx); socket_errors adds up failed connects, reads, writes and timeouts.
local path = os.getenv("BENCH_BODY")
if not path or path == "" then
    error("BENCH_BODY must name the file holding the request body")
end
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
local key = os.getenv("BENCH_KEY")
if key and key ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. key
end

function done(summary, latency, _)
    local errors = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "BENCH rps=%.1f requests=%d seconds=%.3f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
            .. "non2xx=%d socket_errors=%d\n",
        summary.requests / seconds, summary.requests, seconds,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
