import type { Kysely } from "kysely";

/**
 * Webhook dispatch: a delivery held back by an out-of-order fault no longer holds back the later
 * deliveries of its subscription (they may overtake it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("webhook_deliveries")
    .addColumn("out_of_order", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
