import type { Kysely } from "kysely";

/**
 * Catalog additions: the per-plan opt-in to P4Y/P5Y terms, and the publisher's display order of offers
 * and plans (the order of the catalog file, or of creation through the Partner API).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("plans")
    .addColumn("allow_extended_terms", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("plans")
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("offers")
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
