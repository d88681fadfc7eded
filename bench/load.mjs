import autocannon from "autocannon";

/**
 * Drives `url` with autocannon for `seconds` over `connections` keep-alive connections. Every request
 * comes from `nextRequest()` ({ method, path, headers, body }); when it returns undefined the supply
 * is used up and the run ends early (the requests still in flight repeat the last one).
 *
 * The rate counts only answers with `expectedStatus`, over the run's duration, or when the supply ran
 * out, over the time until it did.
 */
export async function runLoad({ url, connections, seconds, nextRequest, expectedStatus }) {
  let run;
  let last;
  let exhaustedAfterSeconds;
  const startedAt = performance.now();
  const setupRequest = (request) => {
    const next = nextRequest();
    if (next === undefined) {
      exhaustedAfterSeconds ??= (performance.now() - startedAt) / 1000;
      run?.stop();
      return { ...request, ...last };
    }
    last = next;
    return { ...request, ...next };
  };
  run = autocannon({ url, connections, duration: seconds, requests: [{ setupRequest }] });
  const result = await run;
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
  );
  const expected = statusCounts[expectedStatus] ?? 0;
  const measuredSeconds = exhaustedAfterSeconds ?? result.duration;
  return {
    ratePerSecond: expected / measuredSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    seconds: measuredSeconds,
    expected,
    statusCounts,
    answered: result.requests.total,
    errors: result.errors,
    exhausted: exhaustedAfterSeconds !== undefined,
  };
}

/**
 * An unmeasured run that warms the server's JIT and caches, then the measured run. With `sampleCpu`
 * (a function that starts a sample and returns its stop), the result also carries the CPU used during
 * the measured run. With `settle` (waits until the work the requests left behind is done and returns
 * what it waited for: `{ backlog, seconds }`), the warm-up's work is settled before the measured run, and
 * the measured run's after it: its time counts in the rate, and its CPU in the sample, so an endpoint
 * cannot look faster by leaving work behind.
 */
export async function warmAndMeasure(options, warmupSeconds, sampleCpu, settle) {
  if (warmupSeconds > 0) await runLoad({ ...options, seconds: warmupSeconds });
  await settle?.();
  const stopSample = sampleCpu?.();
  const result = await runLoad(options);
  const settled = await settle?.();
  const cpu = stopSample?.();
  const measured = settled
    ? { ...result, settled, ratePerSecond: result.expected / (result.seconds + settled.seconds) }
    : result;
  return cpu ? { ...measured, cpu } : measured;
}
