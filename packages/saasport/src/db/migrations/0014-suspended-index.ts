import { type Kysely, sql } from "kysely";

/**
 * Suspended subscriptions of a clock, for the invoice run's hold on renewals missed while suspended.
 * Without it both databases walk every subscription of the clock through `subscriptions_due`, which at
 * 100,000 subscriptions blocks a start and every billing run for a tenth of a second. Partial, so only
 * the few suspended rows pay for it on writes; queries must name the status as a literal to use it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("subscriptions_suspended")
    .on("subscriptions")
    .column("test_clock")
    .where(sql.ref("status"), "=", sql.lit("Suspended"))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
