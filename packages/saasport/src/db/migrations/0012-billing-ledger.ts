import { type Kysely, sql } from "kysely";

/**
 * The billing ledger.
 * - `events.snapshot`: the subscription's billable state after each event (plan, seats, term, status), so
 *   the ledger can be rebuilt from the event log alone.
 * - `billing_states`: per subscription, how far the ledger has followed its events (`billed_seq`), when a
 *   line next falls due on its clock (`due_at`), and the prices frozen for its terms.
 * - `ledger_lines`: every charge, credit, refund and overage line, written once under a deterministic
 *   `line_key`; `invoice_id` is set when a month-end run puts the line on an invoice.
 * - `invoices`: one per billing account, clock, currency and month.
 * Amounts are exact decimal text plus the integer minor units (`*_minor`) that sums add.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("events").addColumn("snapshot", "text").execute();
  // The subscription's clock, so the ledger follows one clock's events by index.
  await db.schema.alterTable("events").addColumn("clock", "text").execute();
  await db.schema.createIndex("events_clock_position").on("events").columns(["clock", "position"]).execute();
  await db.schema
    .createTable("billing_states")
    .addColumn("subscription_id", "text", (c) => c.primaryKey())
    .addColumn("clock", "text", (c) => c.notNull())
    .addColumn("billed_seq", "integer", (c) => c.notNull())
    .addColumn("due_at", "text")
    .addColumn("synced_as_of", "text")
    .addColumn("prices", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("billing_states_due")
    .on("billing_states")
    .columns(["clock", "due_at", "subscription_id"])
    .execute();
  await db.schema
    .createTable("ledger_lines")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("line_key", "text", (c) => c.notNull().unique())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("billing_account", "text", (c) => c.notNull())
    .addColumn("clock", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("on_day", "text", (c) => c.notNull())
    .addColumn("period_start", "text", (c) => c.notNull())
    .addColumn("period_end", "text", (c) => c.notNull())
    .addColumn("quantity", "text")
    .addColumn("unit_price", "text")
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("amount", "text", (c) => c.notNull())
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addColumn("list_amount", "text")
    .addColumn("reseller_margin", "text")
    .addColumn("private_offer_id", "text")
    .addColumn("invoice_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ledger_lines_uninvoiced")
    .on("ledger_lines")
    .columns(["clock", "invoice_id", "on_day"])
    .execute();
  await db.schema
    .createIndex("ledger_lines_subscription")
    .on("ledger_lines")
    .columns(["subscription_id", "on_day"])
    .execute();
  await db.schema.createIndex("ledger_lines_invoice").on("ledger_lines").column("invoice_id").execute();
  // The month-end run reads each billing account's lines not yet on an invoice.
  await sql`create index ledger_lines_open on ledger_lines (clock, billing_account, on_day) where invoice_id is null`.execute(
    db,
  );
  await db.schema
    .createIndex("ledger_lines_publisher")
    .on("ledger_lines")
    .columns(["publisher_id", "on_day"])
    .execute();
  await db.schema
    .createTable("invoices")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("billing_account", "text", (c) => c.notNull())
    .addColumn("clock", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("total", "text", (c) => c.notNull())
    .addColumn("total_minor", "bigint", (c) => c.notNull())
    .addColumn("line_count", "integer", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("paid_at", "text")
    .addColumn("failed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("invoices_account_month", ["billing_account", "clock", "currency", "month"])
    .execute();
  await db.schema.createIndex("invoices_status").on("invoices").columns(["status", "month"]).execute();
  await db.schema.createIndex("invoices_paid").on("invoices").columns(["paid_at"]).execute();
  await db.schema.createIndex("invoices_month").on("invoices").columns(["month", "id"]).execute();
  // A private offer's absolute price may also name prices per unit for the plan's metered dimensions:
  // a JSON object of dimension id → exact decimal in the plan's currency; null when it names none.
  await db.schema.alterTable("private_offer_plans").addColumn("dimension_prices", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
