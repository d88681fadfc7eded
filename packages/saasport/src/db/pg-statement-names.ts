import type pg from "pg";

/**
 * PostgreSQL parses and plans an unnamed statement on every call; a named one is parsed once per
 * connection and then only bound and run, which takes about a third less of the server's time for a read
 * by primary key. The statements compiled once per shape (db/prepared.ts) and the batched reads
 * (db/read-batcher.ts) are a small, fixed set, so each gets a name here, and every pooled connection
 * prepares it on first use. Any other statement (dynamic IN lists, one-off queries) stays unnamed, so a
 * connection never holds an unbounded number.
 */
const namesBySql = new Map<string, string>();
let nextName = 0;

/** Marks `sql` as one of the fixed statements that run again and again. */
export function nameStatement(sql: string): void {
  if (!namesBySql.has(sql)) namesBySql.set(sql, `saasport_${nextName++}`);
}

/**
 * After a schema change (a newer Saasport migrating the same database), a prepared `select *` fails
 * with "cached plan must not change result type". The statement gets a new name, which every connection
 * prepares afresh, and a call outside a transaction is retried once; inside one the error stands, as
 * the transaction is already aborted.
 */
const CACHED_PLAN_CHANGED = "0A000";

type QueryFunction = (text: unknown, values?: unknown, callback?: unknown) => unknown;
const patched = new WeakSet<object>();

/** Makes `pool`'s connections run the named statements by name. */
export function runNamedStatements(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    if (patched.has(client)) return;
    patched.add(client);
    const query = client.query.bind(client) as QueryFunction;
    let inTransaction = false;
    const named = async (text: string, values: unknown[]) => {
      const name = namesBySql.get(text) as string;
      try {
        return await (query({ name, text, values }) as Promise<unknown>);
      } catch (error) {
        if ((error as { code?: string }).code !== CACHED_PLAN_CHANGED) throw error;
        if (namesBySql.get(text) === name) namesBySql.set(text, `saasport_${nextName++}`);
        if (inTransaction) throw error;
        return query({ name: namesBySql.get(text), text, values });
      }
    };
    (client as unknown as { query: QueryFunction }).query = (text, values, callback) => {
      if (typeof text === "string") {
        if (callback === undefined && Array.isArray(values) && namesBySql.has(text))
          return named(text, values);
        const keyword = text.slice(0, 8).toLowerCase();
        if (keyword.startsWith("begin") || keyword.startsWith("start tr")) inTransaction = true;
        else if (keyword.startsWith("commit") || keyword.startsWith("rollback")) inTransaction = false;
      }
      return query(text, values, callback);
    };
  });
}
