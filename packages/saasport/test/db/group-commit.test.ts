import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../../src/db/connection.js";
import { GroupCommitKysely, inGroupedTransaction } from "../../src/db/group-commit.js";
import type { Database } from "../../src/db/tables.js";
import { type MigratedDatabase, openMigratedDatabase } from "../catalog/support/database.js";
import { databaseKinds } from "../support/databases.js";

/** One write per transaction, in the meta table, so that tests can count what is there. */
function writeKey(db: Kysely<Database>, key: string, fail = false): Promise<string> {
  return inGroupedTransaction(db, async (trx) => {
    await trx.insertInto("meta").values({ key, value: "written" }).execute();
    if (fail) throw new Error(`refused ${key}`);
    return key;
  });
}

async function keysWith(db: Kysely<Database>, prefix: string): Promise<string[]> {
  const rows = await db.selectFrom("meta").select("key").where("key", "like", `${prefix}%`).execute();
  return rows.map((row) => row.key).sort();
}

describe.each(databaseKinds)("concurrent transactions on %s", (kind) => {
  let database: MigratedDatabase;
  beforeEach(async () => {
    database = await openMigratedDatabase(kind);
  });
  afterEach(async () => database?.dispose());

  it("commits every one, and each is visible to another connection once it has answered", async () => {
    const other = connect({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile });
    try {
      const keys = Array.from({ length: 60 }, (_, index) => `t.${String(index).padStart(2, "0")}`);
      const seenAtAnswer = await Promise.all(
        keys.map(async (key) => {
          await writeKey(database.db, key);
          return (await keysWith(other.db, key)).length;
        }),
      );
      expect(seenAtAnswer).toEqual(keys.map(() => 1));
      expect(await keysWith(other.db, "t.")).toEqual(keys);
    } finally {
      await other.close();
    }
  });

  it("rolls back only the transactions that throw, each with its own error", async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) => writeKey(database.db, `f.${index}`, index % 3 === 0)),
    );
    outcomes.forEach((outcome, index) => {
      if (index % 3 === 0) {
        expect(outcome).toMatchObject({ status: "rejected", reason: { message: `refused f.${index}` } });
      } else {
        expect(outcome).toEqual({ status: "fulfilled", value: `f.${index}` });
      }
    });
    const expected = Array.from({ length: 30 }, (_, index) => index)
      .filter((index) => index % 3 !== 0)
      .map((index) => `f.${index}`)
      .sort();
    expect(await keysWith(database.db, "f.")).toEqual(expected);
  });

  it("keeps a transaction's own failed statement from touching the others", async () => {
    await writeKey(database.db, "u.taken");
    const results = await Promise.all(
      ["u.a", "u.b", "u.c"].map((key) =>
        inGroupedTransaction(database.db, async (trx) => {
          await trx.insertInto("meta").values({ key, value: "written" }).execute();
          // A unique violation on PostgreSQL aborts its whole transaction; SQLite undoes the statement.
          if (kind === "sqlite") {
            const duplicate = await trx
              .insertInto("meta")
              .values({ key: "u.taken", value: "again" })
              .execute()
              .then(
                () => "inserted",
                () => "refused",
              );
            return duplicate;
          }
          return "refused";
        }),
      ),
    );
    expect(results).toEqual(["refused", "refused", "refused"]);
    expect(await keysWith(database.db, "u.")).toEqual(["u.a", "u.b", "u.c", "u.taken"]);
  });
});

describe("group commit on SQLite", () => {
  let database: MigratedDatabase;
  beforeEach(async () => {
    database = await openMigratedDatabase("sqlite");
  });
  afterEach(async () => database?.dispose());

  it("carries transactions requested together in fewer durable commits", async () => {
    const db = database.db as GroupCommitKysely<Database>;
    expect(db).toBeInstanceOf(GroupCommitKysely);
    const before = { ...db.stats };
    await Promise.all(Array.from({ length: 100 }, (_, index) => writeKey(db, `g.${index}`)));
    expect(db.stats.committedMembers - before.committedMembers).toBe(100);
    expect(db.stats.committedBatches - before.committedBatches).toBeLessThan(10);
    expect(await keysWith(db, "g.")).toHaveLength(100);
  });

  it("fails the batch so far when one transaction ends the shared transaction; the rest run after", async () => {
    const db = database.db;
    const outcomes = await Promise.allSettled([
      writeKey(db, "b.before"),
      inGroupedTransaction(db, async (trx) => {
        await sql`rollback`.execute(trx);
      }),
      writeKey(db, "b.after"),
    ]);
    // "b.before" was acknowledged by no one: it shared the transaction that was rolled back.
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect(await keysWith(db, "b.")).toEqual(["b.after"]);
    await writeKey(db, "b.later");
    expect(await keysWith(db, "b.")).toEqual(["b.after", "b.later"]);
  });

  it("runs plain transactions alone, beside grouped ones", async () => {
    const db = database.db as GroupCommitKysely<Database>;
    const before = { ...db.stats };
    await Promise.all([
      ...Array.from({ length: 10 }, (_, index) => writeKey(db, `p.grouped.${index}`)),
      db
        .transaction()
        .execute((trx) => trx.insertInto("meta").values({ key: "p.alone", value: "1" }).execute()),
    ]);
    expect(db.stats.committedMembers - before.committedMembers).toBe(10);
    expect(await keysWith(db, "p.")).toHaveLength(11);
  });

  it("rolls a batch's first transaction back whole when it fails, and commits the next ones", async () => {
    const outcomes = await Promise.allSettled([
      writeKey(database.db, "first.refused", true),
      writeKey(database.db, "first.kept"),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled"]);
    expect(await keysWith(database.db, "first.")).toEqual(["first.kept"]);
  });
});
