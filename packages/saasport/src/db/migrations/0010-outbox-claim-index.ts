import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * The dispatcher's claim scans pending deliveries by next attempt time. A partial index holds only
 * the pending ones, so delivered rows (and, on PostgreSQL, their dead versions) drop out of the scan
 * instead of being visited by every claim. On PostgreSQL free space is left in each page so that
 * taking and releasing a lease (unindexed columns) updates rows in place.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("webhook_deliveries_pending_due")
    .on("webhook_deliveries")
    .column("next_attempt_at")
    .where(sql.ref("status"), "=", sql.lit("pending"))
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table webhook_deliveries set (fillfactor = 70)`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
