import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../src/db/connection.js";
import { migrateToLatest, migrateUpTo } from "../../src/db/migrate.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

const usageRow = (id: string, subscription: string, at: string, micros: number, planId = "basic") => ({
  id,
  subscription_id: subscription,
  publisher_id: "contoso",
  offer_id: "analytics",
  plan_id: planId,
  dimension: "api-calls",
  quantity: String(micros / 1_000_000),
  quantity_micros: micros,
  effective_start_time: at,
  effective_start_sent: at,
  hour_bucket: `${at.slice(0, 13)}:00:00.000Z`,
  message_time: at,
  resource_uri: "/subscriptions/x",
  created_at: at,
});

describe.each(databaseKinds)("upgrading a database with usage to daily sums on %s", (kind) => {
  let database: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    await database?.dispose();
  });

  it("sums the usage accepted before the upgrade and drops the per-subscription index", async () => {
    database = await createTestDatabase(kind);
    handle = connect({
      databaseUrl: database.databaseUrl,
      sqliteFile: join(database.dataDir, "saasport.db"),
    });
    const { db } = handle;
    await migrateUpTo(db, "0014-suspended-index");
    await db
      .insertInto("usage_events")
      .values([
        usageRow("e1", "s1", "2026-05-01T10:15:00.000Z", 1_500_000),
        usageRow("e2", "s1", "2026-05-01T23:59:00.000Z", 250_000),
        usageRow("e3", "s1", "2026-05-02T00:00:00.000Z", 1),
        usageRow("e4", "s1", "2026-05-02T08:00:00.000Z", 2, "premium"),
        usageRow("e5", "s2", "2026-05-01T10:00:00.000Z", 7_000_000),
      ])
      .execute();

    await migrateToLatest(db);

    const sums = await db
      .selectFrom("usage_daily")
      .select([
        "usage_day",
        "subscription_id",
        "plan_id",
        sql<string>`cast(quantity_micros as text)`.as("micros"),
        sql<string>`cast(events as text)`.as("events"),
      ])
      .orderBy("usage_day")
      .orderBy("subscription_id")
      .orderBy("plan_id")
      .execute();
    expect(sums).toEqual([
      { usage_day: "2026-05-01", subscription_id: "s1", plan_id: "basic", micros: "1750000", events: "2" },
      { usage_day: "2026-05-01", subscription_id: "s2", plan_id: "basic", micros: "7000000", events: "1" },
      { usage_day: "2026-05-02", subscription_id: "s1", plan_id: "basic", micros: "1", events: "1" },
      { usage_day: "2026-05-02", subscription_id: "s1", plan_id: "premium", micros: "2", events: "1" },
    ]);
    const indexes = await db.introspection.getTables();
    expect(indexes.some((table) => table.name === "usage_daily")).toBe(true);
    const named =
      kind === "sqlite"
        ? sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and name = 'usage_events_subscription_time'`
        : sql<{
            name: string;
          }>`select indexname as name from pg_indexes where indexname = 'usage_events_subscription_time'`;
    expect((await named.execute(db)).rows).toEqual([]);
  });
});
