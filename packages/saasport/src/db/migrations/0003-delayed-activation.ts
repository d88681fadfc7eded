import type { Kysely } from "kysely";

/** When the publisher asked to activate; with a delayed activation the subscription turns Subscribed later. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("subscriptions").addColumn("activation_requested_at", "text").execute();
  await db.schema
    .createIndex("subscriptions_activation_due")
    .on("subscriptions")
    .columns(["status", "activation_requested_at"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
