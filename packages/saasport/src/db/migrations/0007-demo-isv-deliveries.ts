import type { Kysely } from "kysely";

/**
 * The demo ISV app remembers which webhook deliveries it accepted: a delivery id is claimed once per
 * publisher (NULL for records that are not accepted deliveries), so a retry that arrives while the
 * first attempt is still being handled is recognised as a duplicate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("demo_isv_log").addColumn("delivery_id", "text").execute();
  await db.schema
    .createIndex("demo_isv_log_delivery")
    .on("demo_isv_log")
    .columns(["publisher_id", "delivery_id"])
    .unique()
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
