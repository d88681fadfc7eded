import { type Insertable, type Kysely, type Selectable, sql } from "kysely";
import { fixedChunks } from "../db/chunks.js";
import type { Dialect } from "../db/connection.js";
import type { Database, UsageEventTable } from "../db/tables.js";
import { batchedInserts } from "./insert-batcher.js";
import { microsToDecimal } from "./quantity.js";
import type { MeteredSubscription } from "./usage-rules.js";

export type UsageEventRow = Selectable<UsageEventTable>;
export type NewUsageEvent = Insertable<UsageEventTable>;

/** The subscription columns metering reads, with the clock and flags that shape its answers. */
export type MeteringSubscriptionRow = MeteredSubscription & {
  offer_id: string;
  test_clock: string;
  is_test: number;
  session_mode: "None" | "DryRun";
};

export interface DailyUsageRow {
  usage_day: string;
  subscription_id: string;
  dimension: string;
  plan_id: string;
  offer_id: string;
  /** Sum of quantity_micros as decimal text (exact on both databases). */
  micros: string;
  events: number;
  test_clock: string;
  is_test: number;
  session_mode: "None" | "DryRun";
}

export interface DailyUsageFilter {
  publisherId: string;
  fromTime: string;
  untilTime: string | undefined;
  offerId: string | undefined;
  planId: string | undefined;
  dimension: string | undefined;
  subscriptionId: string | undefined;
}

/** The usage_events table: accepted usage, one row per subscription, dimension and hour. */
export function createUsageRepository(db: Kysely<Database>, dialect: Dialect) {
  const insert = async (executor: Kysely<Database>, rows: readonly NewUsageEvent[]) => {
    const inserted = await executor
      .insertInto("usage_events")
      .values(rows as NewUsageEvent[])
      .onConflict((conflict) => conflict.columns(["hour_bucket", "subscription_id", "dimension"]).doNothing())
      .returning("id")
      .execute();
    return inserted.map((row) => row.id);
  };
  /** SQLite: one transaction of a few fixed chunk sizes (one cached prepared statement each). */
  const writeShared = async (rows: readonly NewUsageEvent[]): Promise<Set<string>> => {
    const ids = new Set<string>();
    if (rows.length === 0) return ids;
    await db.transaction().execute(async (trx) => {
      for (const chunk of fixedChunks(rows, [100, 25, 5, 1]))
        for (const id of await insert(trx, chunk)) ids.add(id);
    });
    return ids;
  };
  // SQLite commits one transaction at a time, synchronously: requests that arrive together share one.
  // PostgreSQL commits concurrent statements in parallel (and groups their WAL flushes itself).
  const insertNew =
    dialect === "sqlite"
      ? batchedInserts(writeShared)
      : async (rows: readonly NewUsageEvent[]) => new Set(rows.length === 0 ? [] : await insert(db, rows));
  return {
    /** The subscriptions of one batch, in one query. */
    async subscriptions(ids: readonly string[]): Promise<MeteringSubscriptionRow[]> {
      if (ids.length === 0) return [];
      return db
        .selectFrom("subscriptions")
        .select([
          "id",
          "name",
          "publisher_id",
          "offer_id",
          "plan_id",
          "status",
          "activated_at",
          "unsubscribed_at",
          "test_clock",
          "is_test",
          "session_mode",
        ])
        .where("id", "in", ids)
        .execute();
    },

    /**
     * Inserts the rows in one transaction; a row whose (subscription, dimension, hour) is taken is skipped
     * by the unique index. Requests arriving together share the transaction (see batchedInserts). Returns
     * the ids that were inserted.
     */
    insertNew,

    /** The accepted events holding these (subscription, dimension, hour) keys. */
    async acceptedFor(
      keys: ReadonlyArray<{ subscriptionId: string; dimension: string; hourBucket: string }>,
    ): Promise<UsageEventRow[]> {
      if (keys.length === 0) return [];
      return db
        .selectFrom("usage_events")
        .selectAll()
        .where((eb) =>
          eb.or(
            keys.map((key) =>
              eb.and([
                eb("subscription_id", "=", key.subscriptionId),
                eb("dimension", "=", key.dimension),
                eb("hour_bucket", "=", key.hourBucket),
              ]),
            ),
          ),
        )
        .execute();
    },

    /** Usage per UTC day, subscription, dimension and plan, for one publisher. */
    async daily(filter: DailyUsageFilter): Promise<DailyUsageRow[]> {
      const day = sql<string>`substr(u.effective_start_time, 1, 10)`;
      return (
        db
          .selectFrom("usage_events as u")
          .innerJoin("subscriptions as s", "s.id", "u.subscription_id")
          .select([
            day.as("usage_day"),
            "u.subscription_id",
            "u.dimension",
            "u.plan_id",
            "u.offer_id",
            sql<string>`cast(sum(u.quantity_micros) as text)`.as("micros"),
            sql<number>`count(*)`.as("events"),
            "s.test_clock",
            "s.is_test",
            "s.session_mode",
          ])
          // The hour bounds let the database walk the hour-led unique index; the day bounds are whole hours.
          .where("u.hour_bucket", ">=", filter.fromTime)
          .$if(filter.untilTime !== undefined, (q) =>
            q.where("u.hour_bucket", "<", filter.untilTime as string),
          )
          .where("u.publisher_id", "=", filter.publisherId)
          .where("u.effective_start_time", ">=", filter.fromTime)
          .$if(filter.untilTime !== undefined, (q) =>
            q.where("u.effective_start_time", "<", filter.untilTime as string),
          )
          .$if(filter.offerId !== undefined, (q) => q.where("u.offer_id", "=", filter.offerId as string))
          .$if(filter.planId !== undefined, (q) => q.where("u.plan_id", "=", filter.planId as string))
          .$if(filter.dimension !== undefined, (q) => q.where("u.dimension", "=", filter.dimension as string))
          .$if(filter.subscriptionId !== undefined, (q) =>
            q.where("u.subscription_id", "=", filter.subscriptionId as string),
          )
          .groupBy([
            day,
            "u.subscription_id",
            "u.dimension",
            "u.plan_id",
            "u.offer_id",
            "s.test_clock",
            "s.is_test",
            "s.session_mode",
          ])
          .orderBy(day)
          .orderBy("u.subscription_id")
          .orderBy("u.dimension")
          .orderBy("u.plan_id")
          .execute()
      );
    },
  };
}

export type UsageRepository = ReturnType<typeof createUsageRepository>;

/** Accepted usage of some subscriptions, summed per subscription, plan, dimension and UTC day (for the ledger). */
export async function dailyUsageOf(
  db: Kysely<Database>,
  subscriptionIds: readonly string[],
): Promise<Map<string, { planId: string; dimension: string; day: string; quantity: string }[]>> {
  const bySubscription = new Map<
    string,
    { planId: string; dimension: string; day: string; quantity: string }[]
  >();
  if (subscriptionIds.length === 0) return bySubscription;
  const day = sql<string>`substr(effective_start_time, 1, 10)`;
  const rows = await db
    .selectFrom("usage_events")
    .select([
      "subscription_id",
      "plan_id",
      "dimension",
      day.as("day"),
      sql<string | number>`sum(quantity_micros)`.as("micros"),
    ])
    .where("subscription_id", "in", subscriptionIds)
    .groupBy(["subscription_id", "plan_id", "dimension", day])
    .execute();
  for (const row of rows) {
    const list = bySubscription.get(row.subscription_id) ?? [];
    list.push({
      planId: row.plan_id,
      dimension: row.dimension,
      day: row.day,
      quantity: microsToDecimal(BigInt(String(row.micros))),
    });
    bySubscription.set(row.subscription_id, list);
  }
  return bySubscription;
}
