/**
 * The references an endpoint's rate is divided by, measured right before and right after its run.
 * On a shared machine the speed drifts over the minutes a benchmark takes (the bare node:http server
 * has answered 22,000/s and 37,000/s five minutes apart); a reference measured once, minutes before an
 * endpoint, would move its ratio by that much. Each endpoint is divided by the mean of the two
 * measurements around it; a measurement taken after one endpoint also serves as the one before the
 * next endpoint of the same kind when no other reference was measured in between (preparing the next
 * endpoint, such as seeding its pool of subscriptions, may have run in between).
 *
 * `measureByKind[kind]()` measures one reference run and resolves to an object with a `rate` (per
 * second) and whatever else describes the run.
 */
export function createReferenceMeter(measureByKind) {
  /** Every measured run of each kind, in order. */
  const runs = Object.fromEntries(Object.keys(measureByKind).map((kind) => [kind, []]));
  /** The last run, if it was the last thing measured: it may serve as the next endpoint's "before". */
  let latest;

  async function measure(kind) {
    const measurement = await measureByKind[kind]();
    runs[kind].push(measurement);
    return measurement;
  }

  return {
    runs,
    /** Measures `kind` around `run()`; resolves to the run's result and its reference. */
    async around(kind, run) {
      const before = latest?.kind === kind ? latest.measurement : await measure(kind);
      latest = undefined;
      const result = await run();
      const after = await measure(kind);
      latest = { kind, measurement: after };
      return { result, reference: { kind, before, after, rate: (before.rate + after.rate) / 2 } };
    },
  };
}

/** The mean rate of a kind's runs (undefined when it never ran). */
export function meanRate(measurements) {
  if (!measurements || measurements.length === 0) return undefined;
  return measurements.reduce((sum, measurement) => sum + measurement.rate, 0) / measurements.length;
}
