import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect } from "kysely";
import type pg from "pg";
import { GroupCommitKysely } from "./group-commit.js";
import { runNamedStatements } from "./pg-statement-names.js";
import { registerReadNow } from "./read-now.js";
import { DurableSqliteDialect } from "./sqlite-driver.js";
import { withStatementCache } from "./sqlite-statements.js";
import type { Database } from "./tables.js";
import { WalSync, walFileSync } from "./wal-sync.js";

export type Dialect = "sqlite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for messages: the SQLite file or the PostgreSQL URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL URL; when absent, `sqliteFile` is used. */
  databaseUrl?: string | undefined;
  sqliteFile: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /** PostgreSQL: run the statements of db/prepared.ts by name (default true). */
  namedStatements?: boolean;
}

export function connect(options: ConnectOptions): DatabaseHandle {
  if (options.databaseUrl) {
    return connectPostgres(options.databaseUrl, options.poolSize ?? 10, options.namedStatements ?? true);
  }
  return connectSqlite(options.sqliteFile);
}

function connectSqlite(file: string): DatabaseHandle {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // Every acknowledged write is on disk before the answer leaves, as with synchronous=FULL; but the log
  // is flushed by the driver off the event loop (see DurableSqliteDialect), so SQLite itself need not
  // (NORMAL still syncs around checkpoints, so the database file is never corrupted).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  // Checkpoint every 10,000 pages (about 40 MB of WAL) instead of 1,000: a page written by many commits
  // in between (an index page taking rows of many requests) is copied into the database file once, not
  // once per checkpoint. The WAL file grows larger before it is reused.
  sqlite.pragma("wal_autocheckpoint = 10000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Savepoints (group commit) keep the pages they change in a sub-journal: in memory, not a temp file.
  sqlite.pragma("temp_store = MEMORY");
  const log = walFileSync(file);
  const dialect = new DurableSqliteDialect({
    sqlite,
    statements: withStatementCache(sqlite),
    wal: new WalSync(log.sync),
    onDestroy: log.close,
  });
  const db = new GroupCommitKysely<Database>({ dialect });
  registerReadNow(db, (sql, parameters) => dialect.readNow(sql, parameters));
  return {
    db,
    dialect: "sqlite",
    location: file,
    close: () => db.destroy(),
  };
}

/** The PostgreSQL client is loaded with the first query, so that starts on SQLite never load it. */
async function createPool(url: string, poolSize: number, namedStatements: boolean): Promise<pg.Pool> {
  const { default: pg } = await import("pg");
  // Integer columns hold seat counts and such, never beyond 2^31; read int8 results (count(*)) as numbers.
  pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection closed by the server (restart, failover, a dropped database) is discarded by the
  // pool and replaced on next use; without a listener the error would crash the process.
  pool.on("error", () => {});
  if (namedStatements) runNamedStatements(pool);
  return pool;
}

function connectPostgres(url: string, poolSize: number, namedStatements: boolean): DatabaseHandle {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: () => createPool(url, poolSize, namedStatements) }),
  });
  return {
    db,
    dialect: "postgres",
    location: redactUrl(url),
    close: () => db.destroy(),
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable database URL)";
  }
}
