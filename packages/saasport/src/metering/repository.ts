import { CompiledQuery, type Insertable, type Kysely, type Selectable, sql } from "kysely";
import { fixedChunks, paddedIds } from "../db/chunks.js";
import type { Dialect } from "../db/connection.js";
import { batchedReads } from "../db/read-batcher.js";
import type { Database, UsageEventTable } from "../db/tables.js";
import { type DailySum, dailySums } from "./daily-sums.js";
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
  /** First UTC day included (`2026-05-01`). */
  fromDay: string;
  /** First UTC day no longer included; undefined: no end. */
  untilDay: string | undefined;
  offerId: string | undefined;
  planId: string | undefined;
  dimension: string | undefined;
  subscriptionId: string | undefined;
}

/** The columns of a usage event row, in the order the prepared inserts bind them. */
const usageColumns = [
  "id",
  "subscription_id",
  "publisher_id",
  "offer_id",
  "plan_id",
  "dimension",
  "quantity",
  "quantity_micros",
  "effective_start_time",
  "effective_start_sent",
  "hour_bucket",
  "message_time",
  "resource_uri",
  "created_at",
] as const satisfies ReadonlyArray<keyof NewUsageEvent>;

const onlyOncePerHour = `on conflict ("hour_bucket", "subscription_id", "dimension") do nothing`;
const columnList = usageColumns.map((column) => `"${column}"`).join(", ");

/** The columns of a usage_daily row, in the order the upserts bind them. */
const dailyColumns = [
  "usage_day",
  "subscription_id",
  "dimension",
  "plan_id",
  "publisher_id",
  "offer_id",
  "quantity_micros",
  "events",
] as const satisfies ReadonlyArray<keyof DailySum>;
const dailyColumnList = dailyColumns.map((column) => `"${column}"`).join(", ");
const addToDailySums = `on conflict ("usage_day", "subscription_id", "dimension", "plan_id") do update set "quantity_micros" = "usage_daily"."quantity_micros" + excluded."quantity_micros", "events" = "usage_daily"."events" + excluded."events"`;

/** SQLite: a multi-row INSERT of `rows` rows (one cached prepared statement per size). */
function sqliteInsert(rows: number): string {
  const row = `(${usageColumns.map(() => "?").join(", ")})`;
  return `insert into "usage_events" (${columnList}) values ${new Array(rows).fill(row).join(", ")} ${onlyOncePerHour} returning "id"`;
}

/** SQLite: adds `rows` day sums to usage_daily (one cached prepared statement per size). */
function sqliteDailyUpsert(rows: number): string {
  const row = `(${dailyColumns.map(() => "?").join(", ")})`;
  return `insert into "usage_daily" (${dailyColumnList}) values ${new Array(rows).fill(row).join(", ")} ${addToDailySums}`;
}

/**
 * PostgreSQL: one statement of any number of rows, bound as one JSON array of row objects (the client
 * serialises it with `JSON.stringify`, much cheaper than escaping one array literal per column). The
 * events that were inserted are summed into usage_daily by the same statement, in key order, so that
 * two nodes adding to the same days take their row locks in the same order.
 */
const postgresInsert = `with "inserted" as (
  insert into "usage_events" (${columnList}) select ${columnList} from json_to_recordset($1::json) as "r"(${usageColumns
    .map((column) => `"${column}" ${column === "quantity_micros" ? "bigint" : "text"}`)
    .join(", ")}) ${onlyOncePerHour}
  returning "id", "subscription_id", "dimension", "plan_id", "publisher_id", "offer_id", "quantity_micros", "effective_start_time"
), "summed" as (
  insert into "usage_daily" (${dailyColumnList})
  select substr("effective_start_time", 1, 10), "subscription_id", "dimension", "plan_id",
    min("publisher_id"), min("offer_id"), sum("quantity_micros"), count(*)
  from "inserted"
  group by substr("effective_start_time", 1, 10), "subscription_id", "dimension", "plan_id"
  order by 1, 2, 3, 4
  ${addToDailySums}
)
select "id" from "inserted"`;

/** The sizes of SQLite's insert statements: a batch is written as a few of these. */
const sqliteChunkSizes = [100, 25, 5, 1];
/** The sizes of the subscription read (ids are padded to one of them; more are read 100 at a time). */
const subscriptionReadSizes = [1, 5, 25, 100];

const meteringSubscriptionColumns = [
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
] as const;

/** The usage_events table: accepted usage, one row per subscription, dimension and hour. */
export function createUsageRepository(db: Kysely<Database>, dialect: Dialect) {
  // The statements of every request are prepared (as SQL text) once: building and compiling them through
  // the query builder cost more than running them.
  const sqliteInserts = new Map(sqliteChunkSizes.map((size) => [size, sqliteInsert(size)]));
  const sqliteDailyUpserts = new Map(sqliteChunkSizes.map((size) => [size, sqliteDailyUpsert(size)]));
  const subscriptionReads = new Map(
    subscriptionReadSizes.map((size) => [
      size,
      db
        .selectFrom("subscriptions")
        .select(meteringSubscriptionColumns)
        .where("id", "in", new Array<string>(size).fill(""))
        .compile(),
    ]),
  );

  const readSubscriptions = async (ids: readonly string[]): Promise<MeteringSubscriptionRow[]> => {
    const found: MeteringSubscriptionRow[] = [];
    const largest = subscriptionReadSizes[subscriptionReadSizes.length - 1] as number;
    for (let start = 0; start < ids.length; start += largest) {
      const padded = paddedIds(ids.slice(start, start + largest), subscriptionReadSizes);
      const query = subscriptionReads.get(padded.length) as CompiledQuery<MeteringSubscriptionRow>;
      const result = await db.executeQuery<MeteringSubscriptionRow>({ ...query, parameters: padded });
      found.push(...result.rows);
    }
    return found;
  };

  const insertedIds = (rows: readonly { id: string }[], ids: Set<string>) => {
    for (const row of rows) ids.add(row.id);
  };
  /**
   * SQLite: one transaction of a few fixed chunk sizes (one cached prepared statement each): the events,
   * then the day sums of those that were inserted.
   */
  const writeSqlite = async (rows: readonly NewUsageEvent[]): Promise<Set<string>> => {
    const ids = new Set<string>();
    if (rows.length === 0) return ids;
    await db.transaction().execute(async (trx) => {
      for (const chunk of fixedChunks(rows, sqliteChunkSizes)) {
        const parameters: unknown[] = [];
        for (const row of chunk) for (const column of usageColumns) parameters.push(row[column]);
        const sql = sqliteInserts.get(chunk.length) as string;
        const result = await trx.executeQuery<{ id: string }>(CompiledQuery.raw(sql, parameters));
        insertedIds(result.rows, ids);
      }
      const sums = dailySums(rows.filter((row) => ids.has(row.id)));
      for (const chunk of fixedChunks(sums, sqliteChunkSizes)) {
        const parameters: unknown[] = [];
        for (const sum of chunk) for (const column of dailyColumns) parameters.push(sum[column]);
        const sql = sqliteDailyUpserts.get(chunk.length) as string;
        await trx.executeQuery(CompiledQuery.raw(sql, parameters));
      }
    });
    return ids;
  };
  /** PostgreSQL: one statement (its own transaction) whatever the number of rows. */
  const writePostgres = async (rows: readonly NewUsageEvent[]): Promise<Set<string>> => {
    const ids = new Set<string>();
    if (rows.length === 0) return ids;
    // In key order, so that nodes inserting overlapping batches wait for each other instead of deadlocking.
    const ordered = [...rows].sort(byHourKey);
    const json = JSON.stringify(ordered, usageColumns as unknown as string[]);
    const result = await db.executeQuery<{ id: string }>(CompiledQuery.raw(postgresInsert, [json]));
    insertedIds(result.rows, ids);
    return ids;
  };
  // Requests that arrive together share one write: one transaction on SQLite, one statement on
  // PostgreSQL, and so one durable commit instead of one each.
  const insertNew = batchedInserts(dialect === "sqlite" ? writeSqlite : writePostgres);

  return {
    /**
     * The subscriptions of one batch. The reads of requests arriving together are made together (see
     * batchedReads), in statements of a few prepared sizes.
     */
    subscriptions: batchedReads(readSubscriptions),

    /**
     * Inserts the rows; a row whose (subscription, dimension, hour) is taken is skipped by the unique
     * index. Requests arriving together share the write (see batchedInserts); each is answered after
     * its commit. Returns the ids that were inserted.
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
      return db
        .selectFrom("usage_daily as u")
        .innerJoin("subscriptions as s", "s.id", "u.subscription_id")
        .select([
          "u.usage_day",
          "u.subscription_id",
          "u.dimension",
          "u.plan_id",
          "u.offer_id",
          sql<string>`cast(u.quantity_micros as text)`.as("micros"),
          sql<number>`cast(u.events as integer)`.as("events"),
          "s.test_clock",
          "s.is_test",
          "s.session_mode",
        ])
        .where("u.usage_day", ">=", filter.fromDay)
        .$if(filter.untilDay !== undefined, (q) => q.where("u.usage_day", "<", filter.untilDay as string))
        .where("u.publisher_id", "=", filter.publisherId)
        .$if(filter.offerId !== undefined, (q) => q.where("u.offer_id", "=", filter.offerId as string))
        .$if(filter.planId !== undefined, (q) => q.where("u.plan_id", "=", filter.planId as string))
        .$if(filter.dimension !== undefined, (q) => q.where("u.dimension", "=", filter.dimension as string))
        .$if(filter.subscriptionId !== undefined, (q) =>
          q.where("u.subscription_id", "=", filter.subscriptionId as string),
        )
        .orderBy("u.usage_day")
        .orderBy("u.subscription_id")
        .orderBy("u.dimension")
        .orderBy("u.plan_id")
        .execute();
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
  const rows = await db
    .selectFrom("usage_daily")
    .select([
      "subscription_id",
      "plan_id",
      "dimension",
      "usage_day as day",
      sql<string>`cast(quantity_micros as text)`.as("micros"),
    ])
    .where("subscription_id", "in", subscriptionIds)
    .execute();
  for (const row of rows) {
    const list = bySubscription.get(row.subscription_id) ?? [];
    list.push({
      planId: row.plan_id,
      dimension: row.dimension,
      day: row.day,
      quantity: microsToDecimal(BigInt(row.micros)),
    });
    bySubscription.set(row.subscription_id, list);
  }
  return bySubscription;
}

/** Orders usage rows as the unique index does: by hour, subscription and dimension. */
function byHourKey(a: NewUsageEvent, b: NewUsageEvent): number {
  return (
    compareText(a.hour_bucket, b.hour_bucket) ||
    compareText(a.subscription_id, b.subscription_id) ||
    compareText(a.dimension, b.dimension)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
