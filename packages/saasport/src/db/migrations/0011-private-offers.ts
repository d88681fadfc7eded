import type { Kysely } from "kysely";

/**
 * Private offers: a publisher's negotiated prices for one customer billing account (a tenant), on 1..10
 * plans of one offer. Dates (accept_by, valid_from, valid_to) are ISO days ("2026-05-31"); the other
 * instants are stored timestamps. `status` is what was last written (pending, accepted, withdrawn);
 * `expired` is derived on read from accept_by and business time. Prices are exact decimal text.
 * `subscriptions.private_offer_id` records the private offer that covered a purchase.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("private_offers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("customer_tenant_id", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("accept_by", "text", (c) => c.notNull())
    .addColumn("valid_from", "text", (c) => c.notNull())
    .addColumn("valid_to", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .addColumn("withdrawn_at", "text")
    .execute();
  await db.schema
    .createIndex("private_offers_customer")
    .on("private_offers")
    .column("customer_tenant_id")
    .execute();
  await db.schema
    .createIndex("private_offers_publisher")
    .on("private_offers")
    .column("publisher_id")
    .execute();
  await db.schema
    .createTable("private_offer_plans")
    .addColumn("private_offer_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("discount_percent", "text")
    .addColumn("absolute_price", "text")
    .addColumn("currency", "text")
    .addPrimaryKeyConstraint("private_offer_plans_pk", ["private_offer_id", "plan_id"])
    .execute();
  await db.schema.alterTable("subscriptions").addColumn("private_offer_id", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
