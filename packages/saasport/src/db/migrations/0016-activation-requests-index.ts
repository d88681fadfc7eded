import { type Kysely, sql } from "kysely";

/**
 * Delayed activations due, as a partial index: only subscriptions with an activation requested and not
 * yet made are in it, a handful at any time. The full index it replaces held every subscription under
 * its status, so each activation, cancellation or suspension moved an entry between two random pages
 * of it. The query (`activation_requested_at <= ?`) implies the index's condition on both databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("subscriptions_activation_due").execute();
  await db.schema
    .createIndex("subscriptions_activation_requested")
    .on("subscriptions")
    .columns(["status", "activation_requested_at"])
    .where(sql.ref("activation_requested_at"), "is not", null)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
