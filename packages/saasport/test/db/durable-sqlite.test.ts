import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../../src/db/connection.js";
import { GroupCommitKysely } from "../../src/db/group-commit.js";
import { selectWhere } from "../../src/db/prepared.js";
import { registerReadNow } from "../../src/db/read-now.js";
import { DurableSqliteDialect } from "../../src/db/sqlite-driver.js";
import { withStatementCache } from "../../src/db/sqlite-statements.js";
import { type SyncFile, WalSync, walFileSync } from "../../src/db/wal-sync.js";

interface Notes {
  key: string;
  value: string;
}
type Db = Kysely<{ notes: Notes }>;

/** A log sync that finishes only when the test says so. */
function manualSync() {
  const started: Array<(error: Error | null) => void> = [];
  const sync: SyncFile = (done) => started.push(done);
  return {
    sync,
    started: () => started.length,
    /** Finishes the oldest running sync. */
    finish(error: Error | null = null) {
      const done = started.shift();
      if (!done) throw new Error("no sync is running");
      done(error);
    },
  };
}

/** Settles promises and lets the event loop turn, so that whatever can run has run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function state(promise: Promise<unknown>): () => "pending" | "resolved" | "rejected" {
  let current: "pending" | "resolved" | "rejected" = "pending";
  promise.then(
    () => {
      current = "resolved";
    },
    () => {
      current = "rejected";
    },
  );
  return () => current;
}

describe("SQLite writes are acknowledged once their log is synced", () => {
  let directory: string;
  let sqlite: SQLite.Database;
  let disk: ReturnType<typeof manualSync>;
  let wal: WalSync;
  let db: Db;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), "saasport-durable-"));
    sqlite = new SQLite(join(directory, "notes.db"));
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.exec("create table notes (key text primary key, value text not null)");
    disk = manualSync();
    wal = new WalSync(disk.sync);
    const dialect = new DurableSqliteDialect({
      sqlite,
      statements: withStatementCache(sqlite),
      wal,
      onDestroy: () => {},
    });
    db = new GroupCommitKysely<{ notes: Notes }>({ dialect });
    registerReadNow(db, (sql, parameters) => dialect.readNow(sql, parameters));
  });

  afterEach(async () => {
    while (disk.started() > 0) disk.finish();
    await db.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it("answers a committed transaction only after the sync that followed its COMMIT", async () => {
    const committed = state(
      db.transaction().execute((trx) => trx.insertInto("notes").values({ key: "a", value: "1" }).execute()),
    );
    await settle();
    expect(committed()).toBe("pending");
    expect(disk.started()).toBe(1);
    disk.finish();
    await settle();
    expect(committed()).toBe("resolved");
  });

  it("lets other transactions use the connection while a commit waits for the disk", async () => {
    const first = state(db.insertInto("notes").values({ key: "a", value: "1" }).execute());
    await settle();
    expect(first()).toBe("pending");
    const second = state(
      db.transaction().execute((trx) => trx.insertInto("notes").values({ key: "b", value: "2" }).execute()),
    );
    await settle();
    // The second transaction ran and committed meanwhile (read here past the driver, on the handle).
    expect(sqlite.prepare("select key from notes order by key").all()).toEqual([{ key: "a" }, { key: "b" }]);
    expect(second()).toBe("pending");
    // The running sync may have started before the second COMMIT: the second waits for the next one.
    disk.finish();
    await settle();
    expect(first()).toBe("resolved");
    expect(second()).toBe("pending");
    expect(disk.started()).toBe(1);
    disk.finish();
    await settle();
    expect(second()).toBe("resolved");
  });

  it("answers a read outside a transaction only once the commits it could have seen are durable", async () => {
    const write = state(db.insertInto("notes").values({ key: "a", value: "1" }).execute());
    await settle();
    const read = db.selectFrom("notes").select("key").execute();
    const readState = state(read);
    await settle();
    expect([write(), readState()]).toEqual(["pending", "pending"]);
    disk.finish();
    expect(await read).toEqual([{ key: "a" }]);
    expect(write()).toBe("resolved");
    // Nothing waits for the disk any more: a read answers at once, without a sync of its own.
    expect(await db.selectFrom("notes").select("key").execute()).toEqual([{ key: "a" }]);
    expect(wal.syncs).toBe(1);
  });

  it("runs a prepared read at once, answering once the commits it could have seen are durable", async () => {
    const write = state(db.insertInto("notes").values({ key: "a", value: "1" }).execute());
    await settle();
    const read = selectWhere(db, "notes", { key: "a" });
    const readState = state(read);
    await settle();
    expect([write(), readState()]).toEqual(["pending", "pending"]);
    disk.finish();
    expect(await read).toEqual([{ key: "a", value: "1" }]);
    expect(await selectWhere(db, "notes", { key: "a" })).toEqual([{ key: "a", value: "1" }]);
    expect(wal.syncs).toBe(1);
  });

  it("makes a prepared read wait while a transaction holds the connection", async () => {
    let finishWork: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      finishWork = resolve;
    });
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("notes").values({ key: "b", value: "2" }).execute();
      await gate;
    });
    await settle();
    const read = selectWhere(db, "notes", { key: "b" });
    const readState = state(read);
    await settle();
    expect(readState()).toBe("pending");
    finishWork();
    await settle();
    disk.finish();
    await transaction;
    // It ran after the transaction, so it sees the committed row.
    expect(await read).toEqual([{ key: "b", value: "2" }]);
  });

  it("serves every commit made during one sync with a single next sync", async () => {
    const first = state(db.insertInto("notes").values({ key: "a", value: "1" }).execute());
    await settle();
    const later = ["b", "c", "d", "e"].map((key) =>
      state(db.insertInto("notes").values({ key, value: key }).execute()),
    );
    await settle();
    disk.finish();
    await settle();
    expect(first()).toBe("resolved");
    expect(later.map((check) => check())).toEqual(["pending", "pending", "pending", "pending"]);
    disk.finish();
    await settle();
    expect(later.map((check) => check())).toEqual(["resolved", "resolved", "resolved", "resolved"]);
    expect(wal.syncs).toBe(2);
  });

  it("never waits for the disk for reads, a read-only transaction or a rolled-back one", async () => {
    await db.selectFrom("notes").selectAll().execute();
    await db.transaction().execute((trx) => trx.selectFrom("notes").selectAll().execute());
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("notes").values({ key: "x", value: "1" }).execute();
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(disk.started()).toBe(0);
    expect(await db.selectFrom("notes").selectAll().execute()).toEqual([]);
  });

  it("fails the write when the sync fails", async () => {
    const write = db.insertInto("notes").values({ key: "a", value: "1" }).execute();
    await settle();
    disk.finish(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    await expect(write).rejects.toThrow("EIO");
  });

  it("takes the connection back when a holder queries again after a durable write", async () => {
    const holder = db.connection().execute(async (connection) => {
      await connection.insertInto("notes").values({ key: "a", value: "1" }).execute();
      return connection.selectFrom("notes").select("key").execute();
    });
    await settle();
    disk.finish();
    expect(await holder).toEqual([{ key: "a" }]);
  });

  it("keeps savepoints and grouped transactions working inside one commit", async () => {
    const result = db.transaction().execute(async (trx) => {
      await trx.insertInto("notes").values({ key: "kept", value: "1" }).execute();
      await sql`savepoint inner_work`.execute(trx);
      await trx.insertInto("notes").values({ key: "undone", value: "2" }).execute();
      await sql`rollback to inner_work`.execute(trx);
      await sql`release inner_work`.execute(trx);
    });
    await settle();
    disk.finish();
    await result;
    expect(await db.selectFrom("notes").select("key").execute()).toEqual([{ key: "kept" }]);
  });
});

describe("the log sync on a real file", () => {
  it("syncs the database's -wal file, and writes survive a reopen", async () => {
    const directory = mkdtempSync(join(tmpdir(), "saasport-wal-"));
    const file = join(directory, "saasport.db");
    try {
      const first = connect({ sqliteFile: file });
      await sql`create table notes (key text primary key)`.execute(first.db);
      await sql`insert into notes (key) values ('durable')`.execute(first.db);
      expect(existsSync(`${file}-wal`)).toBe(true);
      await first.close();
      const second = connect({ sqliteFile: file });
      expect((await sql<{ key: string }>`select key from notes`.execute(second.db)).rows).toEqual([
        { key: "durable" },
      ]);
      await second.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("treats a log that does not exist yet as nothing to sync", async () => {
    const directory = mkdtempSync(join(tmpdir(), "saasport-wal-"));
    try {
      const log = walFileSync(join(directory, "never-opened.db"));
      await new Promise<void>((resolve, reject) => log.sync((error) => (error ? reject(error) : resolve())));
      log.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
