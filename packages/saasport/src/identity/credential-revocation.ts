import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";

/** The tables of a publisher's credentials: both have `id`, `publisher_id` and `revoked_at`. */
export type CredentialTable = "publisher_secrets" | "publisher_certificates";

/** Revokes one of a publisher's credentials; false when it has none with that id. Revoking twice keeps the first date. */
export async function revokeOwnedCredential(
  db: Kysely<Database>,
  table: CredentialTable,
  input: { publisherId: string; id: string; now: Date },
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select("revoked_at")
    .where("publisher_id", "=", input.publisherId)
    .where("id", "=", input.id)
    .executeTakeFirst();
  if (!row) return false;
  if (row.revoked_at === null) await revokeCredentialsById(db, table, [input.id], input.now);
  return true;
}

/** Revokes the given credentials, whichever publisher holds them; returns how many were still active. */
export async function revokeCredentialsById(
  db: Kysely<Database>,
  table: CredentialTable,
  ids: readonly string[],
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable(table)
    .set({ revoked_at: toStored(now) })
    .where("id", "in", ids)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
