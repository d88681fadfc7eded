import type { CompiledQuery, Kysely } from "kysely";
import { nameStatement } from "./pg-statement-names.js";
import { perLoopTurn } from "./turn-batch.js";

/**
 * Reads by key requested in one turn of the event loop, made together: the keys of every request are
 * read in one query (or a few, for many keys) instead of one query each, and each request gets the rows
 * of its own keys (`keyOf` says which key a row answers; its id by default). Under load this saves a
 * statement, and on PostgreSQL a round trip, per request. A failed read fails the requests that shared it.
 */
export function batchedReads<Row>(
  read: (keys: readonly string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string = (row) => (row as { id: string }).id,
): (keys: readonly string[]) => Promise<Row[]> {
  const readTogether = perLoopTurn<readonly string[], Row[]>(async (batch) => {
    const ids = new Set<string>();
    for (const request of batch) for (const id of request.input) ids.add(id);
    const rows = new Map((await read([...ids])).map((row) => [keyOf(row), row]));
    for (const request of batch) {
      const found: Row[] = [];
      for (const id of new Set(request.input)) {
        const row = rows.get(id);
        if (row) found.push(row);
      }
      request.resolve(found);
    }
  });
  return (ids) => (ids.length === 0 ? Promise.resolve([]) : readTogether(ids));
}

/**
 * PostgreSQL: `batchedReads` over one statement whose only parameter is the array of keys (`... = any($1)`),
 * run by name (db/pg-statement-names.ts) whatever the number of keys.
 */
export function batchedArrayReads<DB, Row>(
  db: Kysely<DB>,
  compiled: CompiledQuery,
  keyOf?: (row: Row) => string,
): (keys: readonly string[]) => Promise<Row[]> {
  nameStatement(compiled.sql);
  return batchedReads<Row>(
    async (keys) => (await db.executeQuery<Row>({ ...compiled, parameters: [keys] })).rows,
    keyOf,
  );
}
