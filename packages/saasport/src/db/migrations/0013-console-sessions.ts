import type { Kysely } from "kysely";

/**
 * Web console sessions. The browser keeps an opaque random session id in a cookie; the row is keyed by
 * its SHA-256, so the table alone never lets anyone sign in. Each session carries the persona it signed
 * in as and its anti-forgery token; `expires_at` (real time) ends it, and expired rows are swept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("console_sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text")
    .addColumn("publisher_id", "text")
    .addColumn("user_object_id", "text")
    .addColumn("user_email", "text")
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("console_sessions_expiry")
    .on("console_sessions")
    .column("expires_at")
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
