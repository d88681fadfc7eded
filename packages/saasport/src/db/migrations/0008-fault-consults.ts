import type { Kysely } from "kysely";

/**
 * Faults: `consults` numbers each time a fault is asked (its seeded decision depends on that number),
 * `seq` orders faults created in the same millisecond (the oldest active one wins).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("faults")
    .addColumn("consults", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("faults")
    .addColumn("seq", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
