-- wrk script for bench/proxy_bench.sh: POSTs one JSON body with an Authorization header and
-- prints one machine-readable line at the end.
--   BENCH_BODY  the request body (JSON text)
--   BENCH_AUTH  the Authorization header value (e.g. "Bearer sk-rt-…")
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")

-- RESULT requests=<n> seconds=<s> rps=<r/s> p50_us=<µs> p99_us=<µs> non2xx=<n> socket_errors=<n>
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
