import type { Kysely } from "kysely";

/**
 * Metering: one row per accepted usage event. The unique (subscription, dimension, hour) index is the
 * duplicate rule itself, so two requests racing for the same hour (in one process or in several sharing
 * PostgreSQL) cannot both be accepted. `quantity_micros` is the quantity in millionths as an exact
 * integer, so daily sums are exact on both databases; `quantity` keeps the decimal text.
 *
 * The unique index leads with the hour: usage arrives for recent hours, so its inserts land together
 * at the end instead of all over the index, and it also serves time-range reads (GET /usageEvents).
 * Ids are time-ordered GUIDs for the same reason. The billing ledger reads per subscription and time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("usage_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("dimension", "text", (c) => c.notNull())
    .addColumn("quantity", "text", (c) => c.notNull())
    .addColumn("quantity_micros", "bigint", (c) => c.notNull())
    .addColumn("effective_start_time", "text", (c) => c.notNull())
    .addColumn("effective_start_sent", "text", (c) => c.notNull())
    .addColumn("hour_bucket", "text", (c) => c.notNull())
    .addColumn("message_time", "text", (c) => c.notNull())
    .addColumn("resource_uri", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("usage_events_once_per_hour")
    .on("usage_events")
    .columns(["hour_bucket", "subscription_id", "dimension"])
    .unique()
    .execute();
  await db.schema
    .createIndex("usage_events_subscription_time")
    .on("usage_events")
    .columns(["subscription_id", "effective_start_time"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
