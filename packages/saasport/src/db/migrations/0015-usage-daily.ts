import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * Accepted usage summed per UTC day, subscription, dimension and plan, kept in the transaction that
 * accepts the events. The ledger and GET /usageEvents read these sums instead of the events.
 *
 * The key leads with the day: today's rows sit together at the end of the table, so a commit of many
 * events rewrites a few pages of it, where the per-subscription index on usage_events it replaces put
 * every event on a random page. The ledger reads by subscription through `usage_daily_subscription`,
 * which changes only when a subscription meters a dimension for the first time in a day. On SQLite the
 * table is clustered on its key (WITHOUT ROWID), so an upsert touches one B-tree.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("usage_daily")
    .addColumn("usage_day", "text", (c) => c.notNull())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("dimension", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("quantity_micros", "bigint", (c) => c.notNull())
    .addColumn("events", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_daily_key", ["usage_day", "subscription_id", "dimension", "plan_id"])
    .$call((table) => (postgres ? table : table.modifyEnd(sql`without rowid`)))
    .execute();
  await db.schema
    .createIndex("usage_daily_subscription")
    .on("usage_daily")
    .columns(["subscription_id", "usage_day"])
    .execute();
  await sql`
    insert into usage_daily
      (usage_day, subscription_id, dimension, plan_id, publisher_id, offer_id, quantity_micros, events)
    select substr(effective_start_time, 1, 10), subscription_id, dimension, plan_id,
      min(publisher_id), min(offer_id), sum(quantity_micros), count(*)
    from usage_events
    group by substr(effective_start_time, 1, 10), subscription_id, dimension, plan_id`.execute(db);
  await db.schema.dropIndex("usage_events_subscription_time").execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
