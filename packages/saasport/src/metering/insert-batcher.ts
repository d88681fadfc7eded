/**
 * Group commit for accepted usage. The inserts of the requests that reach it in one turn of the event
 * loop are written together in one write, so they share one durable commit: with SQLite's synchronous
 * commits, requests that arrived while a commit blocked the loop are then written by the next one
 * together instead of one commit each; on PostgreSQL one statement and one commit serve them instead of
 * a round trip and a commit each. An insert is answered only after its commit, so "Accepted" still
 * means durable. If a shared write fails, each request is written on its own, so one bad request cannot
 * fail the others.
 */
export function batchedInserts<Row>(
  write: (rows: readonly Row[]) => Promise<Set<string>>,
): (rows: readonly Row[]) => Promise<Set<string>> {
  let pending: { rows: readonly Row[]; resolve(ids: Set<string>): void; reject(error: unknown): void }[] = [];
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 1) {
      const [only] = batch;
      if (only) write(only.rows).then(only.resolve, only.reject);
      return;
    }
    try {
      const inserted = await write(batch.flatMap((request) => request.rows));
      for (const request of batch) request.resolve(inserted);
    } catch {
      for (const request of batch) write(request.rows).then(request.resolve, request.reject);
    }
  };
  return (rows) =>
    new Promise((resolve, reject) => {
      pending.push({ rows, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
