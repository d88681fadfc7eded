import { type Kysely, PostgresAdapter } from "kysely";

/**
 * The lifecycle engine: the event log, the webhook outbox and its attempts, publisher HMAC secrets,
 * virtual clocks, fault injection, the demo ISV's own records, and the subscription columns the
 * scheduler needs (when the next time-driven transition is due, on which clock).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // An ever-growing integer position: SERIAL on PostgreSQL, INTEGER PRIMARY KEY AUTOINCREMENT on SQLite.
  const position = (table: ReturnType<Kysely<unknown>["schema"]["createTable"]>) =>
    postgres
      ? table.addColumn("position", "serial", (c) => c.primaryKey())
      : table.addColumn("position", "integer", (c) => c.primaryKey().autoIncrement());

  await db.schema
    .alterTable("subscriptions")
    .addColumn("test_clock", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.alterTable("subscriptions").addColumn("next_due_at", "text").execute();
  await db.schema
    .alterTable("subscriptions")
    .addColumn("event_seq", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("subscriptions").addColumn("suspended_at", "text").execute();
  await db.schema.alterTable("subscriptions").addColumn("trial_ends_at", "text").execute();
  await db.schema.alterTable("subscriptions").addColumn("refund_window_ends_at", "text").execute();
  await db.schema
    .createIndex("subscriptions_due")
    .on("subscriptions")
    .columns(["test_clock", "next_due_at"])
    .execute();

  await db.schema
    .alterTable("plans")
    .addColumn("auto_activation", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await position(db.schema.createTable("events"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("operation_id", "text")
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("data", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("events_subscription_seq")
    .on("events")
    .columns(["subscription_id", "seq"])
    .unique()
    .execute();
  await db.schema
    .createIndex("events_publisher")
    .on("events")
    .columns(["publisher_id", "position"])
    .execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("operation_id", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("first_attempt_at", "text")
    .addColumn("last_attempt_at", "text")
    .addColumn("last_status_code", "integer")
    .addColumn("last_error", "text")
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("delivered_at", "text")
    .addColumn("redelivery_of", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_due")
    .on("webhook_deliveries")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_order")
    .on("webhook_deliveries")
    .columns(["subscription_id", "status", "seq"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_publisher")
    .on("webhook_deliveries")
    .columns(["publisher_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_event")
    .on("webhook_deliveries")
    .column("event_id")
    .execute();

  await db.schema
    .createTable("webhook_attempts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("delivery_id", "text", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("response_snippet", "text")
    .addColumn("fault", "text")
    .execute();
  await db.schema
    .createIndex("webhook_attempts_delivery")
    .on("webhook_attempts")
    .columns(["delivery_id", "attempt"])
    .execute();

  await db.schema
    .createTable("webhook_secrets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("retired_at", "text")
    .execute();
  await db.schema
    .createIndex("webhook_secrets_publisher")
    .on("webhook_secrets")
    .column("publisher_id")
    .execute();

  await db.schema
    .createTable("clocks")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("offset_ms", "double precision", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("faults")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("publisher_id", "text")
    .addColumn("subscription_id", "text")
    .addColumn("spec", "text", (c) => c.notNull())
    .addColumn("remaining", "integer")
    .addColumn("seed", "integer", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("cleared_at", "text")
    .execute();

  await position(db.schema.createTable("demo_isv_log"))
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("subscription_id", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("demo_isv_log_publisher")
    .on("demo_isv_log")
    .columns(["publisher_id", "position"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
