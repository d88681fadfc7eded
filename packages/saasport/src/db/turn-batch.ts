/** A call waiting for the batch it was collected into. */
export interface Waiting<In, Out> {
  input: In;
  resolve(value: Out): void;
  reject(error: unknown): void;
}

/**
 * Collects the calls made in one turn of the event loop and hands them to `flush` together, in the
 * check phase, after the poll phase has taken in every request that arrived meanwhile. `flush` settles
 * each call; should it throw, the calls it left unsettled fail with its error.
 */
export function perLoopTurn<In, Out>(
  flush: (batch: Waiting<In, Out>[]) => Promise<void>,
): (input: In) => Promise<Out> {
  let pending: Waiting<In, Out>[] = [];
  const run = () => {
    const batch = pending;
    pending = [];
    flush(batch).catch((error: unknown) => {
      for (const call of batch) call.reject(error);
    });
  };
  return (input) =>
    new Promise<Out>((resolve, reject) => {
      if (pending.length === 0) setImmediate(run);
      pending.push({ input, resolve, reject });
    });
}
