import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertRow, insertThenUpdate, selectWhere, updateWhere } from "../../src/db/prepared.js";
import type { Database } from "../../src/db/tables.js";
import { type MigratedDatabase, openMigratedDatabase } from "../catalog/support/database.js";
import { databaseKinds } from "../support/databases.js";

function fault(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    target: "webhook",
    publisher_id: null,
    subscription_id: null,
    spec: "{}",
    remaining: null,
    seed: 1,
    created_at: "2026-01-01T00:00:00.000Z",
    cleared_at: null,
    ...overrides,
  };
}

describe.each(databaseKinds)("statements compiled once and run with new values on %s", (kind) => {
  let database: MigratedDatabase;
  beforeEach(async () => {
    database = await openMigratedDatabase(kind);
  });
  afterEach(async () => database?.dispose());

  const faults = () => database.db.selectFrom("faults").selectAll().orderBy("id").execute();

  it("inserts each row with its own values, columns left undefined taking their defaults", async () => {
    expect(await insertRow(database.db, "faults", fault("f1", { seed: 7, remaining: 3 }))).toBe(1);
    expect(await insertRow(database.db, "faults", fault("f2", { seed: 8, target: "api" }))).toBe(1);
    await database.db.transaction().execute(async (trx) => {
      await insertRow(trx, "faults", { ...fault("f3"), publisher_id: "p", hits: 5 });
    });
    const rows = await faults();
    expect(
      rows.map((row) => [row.id, row.target, Number(row.seed), row.remaining, Number(row.hits)]),
    ).toEqual([
      ["f1", "webhook", 7, 3, 0],
      ["f2", "api", 8, null, 0],
      ["f3", "webhook", 1, null, 5],
    ]);
    expect(rows[2]?.publisher_id).toBe("p");
  });

  it("skips a row that breaks the unique column it was told to ignore conflicts on", async () => {
    expect(
      await insertRow(database.db, "meta", { key: "k", value: "first" }, { ignoreConflictOn: "key" }),
    ).toBe(1);
    expect(
      await insertRow(database.db, "meta", { key: "k", value: "second" }, { ignoreConflictOn: "key" }),
    ).toBe(0);
    await expect(insertRow(database.db, "meta", { key: "k", value: "third" })).rejects.toThrow();
    expect(await database.db.selectFrom("meta").select("value").where("key", "=", "k").execute()).toEqual([
      { value: "first" },
    ]);
  });

  it("updates only the rows matching every condition, a column both set and tested included", async () => {
    for (const id of ["a", "b", "c"]) await insertRow(database.db, "faults", fault(id, { target: "api" }));
    expect(
      await updateWhere(database.db, "faults", { target: "webhook", seed: 2 }, { id: "a", target: "api" }),
    ).toBe(1);
    // The same shape again: now "a" no longer matches.
    expect(
      await updateWhere(database.db, "faults", { target: "webhook", seed: 3 }, { id: "a", target: "api" }),
    ).toBe(0);
    expect(
      await updateWhere(database.db, "faults", { target: "webhook", seed: 4 }, { id: "b", target: "api" }),
    ).toBe(1);
    const rows = await faults();
    expect(rows.map((row) => [row.id, row.target, Number(row.seed)])).toEqual([
      ["a", "webhook", 2],
      ["b", "webhook", 4],
      ["c", "api", 1],
    ]);
  });

  it("runs values that are expressions through the query builder instead of binding them", async () => {
    await insertRow(database.db, "faults", fault("x", { spec: sql<string>`'{"kind":' || '"delay"}'` }));
    expect(await updateWhere(database.db, "faults", { seed: sql<number>`seed + 41` }, { id: "x" })).toBe(1);
    const [row] = await faults();
    expect([row?.spec, Number(row?.seed)]).toEqual(['{"kind":"delay"}', 42]);
  });

  it("selects by equality with its own values each time, some columns, a limit, and for update", async () => {
    const targets: Array<[string, string]> = [
      ["a", "api"],
      ["b", "api"],
      ["c", "webhook"],
    ];
    for (const [id, target] of targets) await insertRow(database.db, "faults", fault(id, { target }));
    const ids = async (target: string, limit?: number) =>
      (
        await selectWhere<Database, "faults", { id: string }>(
          database.db,
          "faults",
          { target },
          { columns: ["id"], ...(limit === undefined ? {} : { limit }) },
        )
      ).map((row) => row.id);
    expect((await ids("api")).sort()).toEqual(["a", "b"]);
    expect(await ids("webhook")).toEqual(["c"]);
    expect(await ids("api", 1)).toHaveLength(1);
    expect(await ids("none")).toEqual([]);
    const [whole] = await selectWhere(database.db, "faults", { id: "c" });
    expect(whole).toMatchObject({ id: "c", target: "webhook", spec: "{}" });
    const locked = await database.db
      .transaction()
      .execute((trx) => selectWhere(trx, "faults", { id: "a" }, { forUpdate: kind === "postgres" }));
    expect(locked.map((row) => row.id)).toEqual(["a"]);
  });

  it("updates only when its row was inserted, the same shape again with new values", async () => {
    await insertRow(database.db, "faults", fault("f1"));
    await insertRow(database.db, "faults", fault("f2"));
    const recordThenSeed = (executor: typeof database.db, key: string, id: string, seed: number) =>
      insertThenUpdate(
        executor,
        { table: "meta", row: { key, value: `seed ${seed}` }, ignoreConflictOn: "key" },
        { table: "faults", changes: { seed, hits: seed * 10 }, where: { id } },
      );
    expect(await recordThenSeed(database.db, "k1", "f1", 5)).toBe(true);
    // The key is taken: nothing is inserted, and the update is not made.
    expect(await recordThenSeed(database.db, "k1", "f1", 9)).toBe(false);
    expect(
      await database.db
        .transaction()
        .execute((trx) => recordThenSeed(trx as typeof database.db, "k2", "f2", 7)),
    ).toBe(true);
    const rows = await faults();
    expect(rows.map((row) => [row.id, Number(row.seed), Number(row.hits)])).toEqual([
      ["f1", 5, 50],
      ["f2", 7, 70],
    ]);
    expect(await database.db.selectFrom("meta").select(["key", "value"]).orderBy("key").execute()).toEqual([
      { key: "k1", value: "seed 5" },
      { key: "k2", value: "seed 7" },
    ]);
  });
});
