-- wrk script for scripts/bench: plain GETs of the URL given to wrk; done() prints the latency
-- percentiles in microseconds on one machine-readable line, so that nothing depends on how wrk
-- formats its own summary:
--   LATENCY requests=N non2xx=N errors=N p50_us=N p90_us=N p99_us=N max_us=N

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LATENCY requests=%d non2xx=%d errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
