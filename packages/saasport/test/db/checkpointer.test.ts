import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Checkpointer } from "../../src/db/checkpointer.js";
import { connect } from "../../src/db/connection.js";

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("checkpoints on a worker thread", () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "saasport-checkpoint-"));
    file = join(directory, "saasport.db");
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("copies what the log holds into the database file, leaving nothing behind", async () => {
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("wal_autocheckpoint = 0");
    sqlite.exec("create table filler (id integer primary key, body text not null)");
    const insert = sqlite.prepare("insert into filler (body) values (?)");
    for (let index = 0; index < 200; index++) insert.run("x".repeat(2000));
    const sizeBefore = statSync(file).size;
    const checkpointer = new Checkpointer(file, 0);
    try {
      checkpointer.written();
      await until(() => checkpointer.stats.checkpoints === 1, "the checkpoint");
      expect(checkpointer.stats.pagesCopied).toBeGreaterThan(100);
      expect(statSync(file).size).toBeGreaterThan(sizeBefore + 200 * 2000);
      // Nothing is left to copy: the main connection's own checkpoint finds the log done.
      const [left] = sqlite.pragma("wal_checkpoint(PASSIVE)") as Array<{ log: number; checkpointed: number }>;
      expect(left?.log).toBe(left?.checkpointed);
    } finally {
      await checkpointer.close();
      sqlite.close();
    }
  });

  it("runs at most one checkpoint per interval however often it is told of writes", async () => {
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("create table t (x)");
    const checkpointer = new Checkpointer(file, 300);
    try {
      const startedAt = Date.now();
      for (let index = 0; index < 50; index++) {
        sqlite.prepare("insert into t values (?)").run(index);
        checkpointer.written();
      }
      // One runs at once; the writes told during it are served by a single one more, after the interval.
      await until(() => checkpointer.stats.checkpoints >= 2, "the second checkpoint");
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(checkpointer.stats.checkpoints).toBe(2);
    } finally {
      await checkpointer.close();
      sqlite.close();
    }
  });

  it("is what a Saasport database uses: writes survive a close and reopen with the log removed", async () => {
    const first = connect({ sqliteFile: file });
    await sql`create table notes (key text primary key, body text)`.execute(first.db);
    for (let index = 0; index < 300; index++) {
      await sql`insert into notes values (${`k${index}`}, ${"y".repeat(1000)})`.execute(first.db);
    }
    await first.close();
    const second = connect({ sqliteFile: file });
    const { rows } = await sql<{ count: number }>`select count(*) as count from notes`.execute(second.db);
    expect(rows).toEqual([{ count: 300 }]);
    await second.close();
  });
});
