import { type Kysely, PostgresAdapter, sql } from "kysely";
import type { Dialect } from "../../db/connection.js";
import type { Database } from "../../db/tables.js";
import { catalogChanged } from "../cached-reader.js";

export function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** Arbitrary fixed key of the PostgreSQL advisory lock that serialises catalog loads across processes. */
const catalogLoadLockKey = 7_363_241_001;

/**
 * Runs `work` in one transaction. With `exclusive`, concurrent catalog loads from several processes on
 * one PostgreSQL database run one after another (SQLite already allows a single writer at a time).
 */
export async function inCatalogTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
  options: { exclusive?: boolean } = {},
): Promise<T> {
  const dialect = dialectOf(db);
  try {
    return await db.transaction().execute(async (trx) => {
      if (options.exclusive && dialect === "postgres") {
        await sql`select pg_advisory_xact_lock(${catalogLoadLockKey})`.execute(trx);
      }
      return work(trx);
    });
  } finally {
    // Again after commit: a read between the write and the commit may have cached the old rows.
    catalogChanged();
  }
}

/** True for a primary-key or unique-index violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
