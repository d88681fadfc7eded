import { perLoopTurn, type Waiting } from "../db/turn-batch.js";

/**
 * Group commit for accepted usage. The inserts of the requests that reach it in one turn of the event
 * loop are written together in one write, so they share one durable commit: on SQLite one commit
 * instead of one per request, on PostgreSQL one statement and one commit instead of a round trip and a
 * commit each. An insert is answered only after its commit, so "Accepted" still means durable. If a
 * shared write fails, each request is written on its own, so one bad request cannot fail the others.
 */
export function batchedInserts<Row>(
  write: (rows: readonly Row[]) => Promise<Set<string>>,
): (rows: readonly Row[]) => Promise<Set<string>> {
  const writeAlone = (request: Waiting<readonly Row[], Set<string>>) =>
    write(request.input).then(request.resolve, request.reject);
  return perLoopTurn<readonly Row[], Set<string>>(async (batch) => {
    const [only] = batch;
    if (batch.length === 1 && only) {
      await writeAlone(only);
      return;
    }
    try {
      const inserted = await write(batch.flatMap((request) => request.input));
      for (const request of batch) request.resolve(inserted);
    } catch {
      await Promise.all(batch.map(writeAlone));
    }
  });
}
