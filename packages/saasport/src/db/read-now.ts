import type { QueryResult } from "kysely";

/**
 * Runs a read at once when the database allows it, or returns undefined to go the usual way. On SQLite
 * a read through Kysely awaits the connection (acquire, run, release: several promise turns), which for
 * a one-row read by key costs as much as the read itself; when no one holds the connection the driver
 * can run it on the spot instead.
 */
export type ReadNow = (
  sql: string,
  parameters: readonly unknown[],
) => Promise<QueryResult<unknown>> | undefined;

const readers = new WeakMap<object, ReadNow>();

/** Registers the root database's direct reader (the SQLite connection does; PostgreSQL has none). */
export function registerReadNow(db: object, read: ReadNow): void {
  readers.set(db, read);
}

/** The direct reader of `executor`: only the root database has one, never a transaction. */
export function readNowOf(executor: object): ReadNow | undefined {
  return readers.get(executor);
}
