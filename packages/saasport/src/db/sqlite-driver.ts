import type SQLite from "better-sqlite3";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import type { StatementCache } from "./sqlite-statements.js";
import type { WalSync } from "./wal-sync.js";

/**
 * Kysely's SQLite dialect with one change: a write is reported done only once it is durable, and the
 * wait for the disk does not hold the connection. The database runs with `synchronous=NORMAL`, so a
 * COMMIT (or a write outside a transaction) only writes to the log; the driver then releases the
 * connection, so other queries and transactions go on, and awaits `WalSync.durable()` before it
 * returns. Callers see what `synchronous=FULL` gives them, an acknowledged write on disk, without the
 * event loop stopping for each flush. A read outside a transaction likewise returns only once the
 * commits it could have seen are durable, so nothing read (and perhaps announced in a webhook) can be
 * lost afterwards.
 */
export interface DurableSqlite {
  sqlite: SQLite.Database;
  statements: StatementCache;
  wal: WalSync;
  /** Called when the database is closed, after the connection. */
  onDestroy(): void;
}

export class DurableSqliteDialect implements Dialect {
  #driver: DurableSqliteDriver | undefined;

  constructor(private readonly parts: DurableSqlite) {}

  createDriver(): Driver {
    this.#driver = new DurableSqliteDriver(this.parts);
    return this.#driver;
  }

  /** See `ReadNow` (db/read-now.ts); undefined before Kysely has created the driver. */
  readNow(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> | undefined {
    return this.#driver?.readNow(sql, parameters);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own dialects take any database type here.
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

/** SQLite has one connection; whoever holds this lock may use it. */
class ConnectionLock {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  get held(): boolean {
    return this.#held !== undefined;
  }

  async lock(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}

class DurableSqliteDriver implements Driver {
  readonly #lock = new ConnectionLock();

  constructor(private readonly parts: DurableSqlite) {}

  async init(): Promise<void> {}

  /**
   * A read statement run at once, when nobody holds the connection (so no transaction is open): it
   * completes synchronously, as it would after acquiring the connection. Like any read outside a
   * transaction it answers once the commits it may have seen are durable. Undefined when the connection
   * is busy or the statement writes: the caller then goes through Kysely.
   */
  readNow(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> | undefined {
    if (this.#lock.held || this.parts.sqlite.inTransaction) return undefined;
    const statement = this.parts.statements.prepare(sql);
    if (!statement.reader || !statement.readonly) return undefined;
    let rows: unknown[];
    try {
      rows = statement.all(parameters);
    } catch (error) {
      return Promise.reject(error);
    }
    const durable = this.parts.wal.whenCommittedDurable();
    return durable ? durable.then(() => ({ rows })) : Promise.resolve({ rows });
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.lock();
    return new Lease(this.parts, this.#lock);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Lease).run("begin");
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Lease).run("commit");
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Lease).run("rollback");
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as Lease).run(`savepoint ${quoteName(name)}`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as Lease).run(`rollback to ${quoteName(name)}`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as Lease).run(`release ${quoteName(name)}`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as Lease).release();
  }

  async destroy(): Promise<void> {
    await this.parts.wal.idle();
    this.parts.statements.close();
    this.parts.onDestroy();
  }
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * One holder's use of the connection. It gives the lock back while it waits for a write to become
 * durable and takes it again if it runs another query afterwards.
 */
class Lease implements DatabaseConnection {
  #locked = true;
  /** The running transaction changed something (else its COMMIT has nothing to make durable). */
  #wrote = false;

  private readonly sqlite: SQLite.Database;
  private readonly statements: StatementCache;
  private readonly wal: WalSync;

  constructor(
    parts: DurableSqlite,
    private readonly lock: ConnectionLock,
  ) {
    ({ sqlite: this.sqlite, statements: this.statements, wal: this.wal } = parts);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.#locked) await this.#relock();
    const statement = this.statements.prepare(query.sql);
    let result: QueryResult<R>;
    if (statement.reader) {
      result = { rows: statement.all(query.parameters) as R[] };
    } else {
      const { changes, lastInsertRowid } = statement.run(query.parameters);
      result = { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    }
    if (this.sqlite.inTransaction) {
      if (!statement.readonly) this.#wrote = true;
    } else if (!statement.readonly) {
      // Outside a transaction: a write answers once durable; a read once what it may have seen is.
      await this.#durable();
    } else {
      await this.#seenDurable();
    }
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!this.#locked) await this.#relock();
    const statement = this.statements.prepare(query.sql);
    if (!statement.reader) throw new Error("Only statements that return rows can be streamed");
    // With the connection held, no commit happens meanwhile: those made before must be durable first.
    if (!this.sqlite.inTransaction) await this.wal.whenCommittedDurable();
    for (const row of statement.iterate(query.parameters)) yield { rows: [row as R] };
  }

  /** Runs a transaction-control statement; a COMMIT returns once it is durable. */
  async run(sql: string): Promise<void> {
    if (!this.#locked) await this.#relock();
    if (sql === "begin") this.#wrote = false;
    this.statements.prepare(sql).run([]);
    if (sql !== "commit") return;
    if (this.#wrote) await this.#durable();
    else await this.#seenDurable();
  }

  release(): void {
    if (!this.#locked) return;
    this.#locked = false;
    this.lock.unlock();
  }

  async #relock(): Promise<void> {
    await this.lock.lock();
    this.#locked = true;
  }

  async #seenDurable(): Promise<void> {
    const durable = this.wal.whenCommittedDurable();
    if (!durable) return;
    this.release();
    await durable;
  }

  /** Lets others use the connection while this holder's writes reach the disk. */
  async #durable(): Promise<void> {
    const durable = this.wal.durable();
    this.release();
    await durable;
  }
}
