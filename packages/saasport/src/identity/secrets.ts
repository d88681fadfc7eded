import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { sha256Hex } from "../http/operator-auth.js";

/** Client secrets look like Entra's: 40 characters, high entropy, with a recognisable prefix. */
export function generateClientSecret(): string {
  return `sps~${randomBytes(27).toString("base64url")}`;
}

export interface RegisteredSecret {
  id: string;
  hint: string;
}

/** Stores only the hash of a client secret; the plain secret is returned to the caller once, never kept. */
export async function registerClientSecret(
  db: Kysely<Database>,
  input: { publisherId: string; secret: string; description?: string; now: Date; expiresAt?: Date | null },
): Promise<RegisteredSecret> {
  const secretHash = sha256Hex(input.secret);
  const existing = await db
    .selectFrom("publisher_secrets")
    .select(["id", "hint"])
    .where("publisher_id", "=", input.publisherId)
    .where("secret_hash", "=", secretHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (existing) return existing;
  const row = {
    id: randomUUID(),
    publisher_id: input.publisherId,
    secret_hash: secretHash,
    hint: input.secret.slice(0, 3),
    description: input.description ?? "",
    created_at: toStored(input.now),
    expires_at: input.expiresAt ? toStored(input.expiresAt) : null,
    revoked_at: null,
  };
  await db.insertInto("publisher_secrets").values(row).execute();
  return { id: row.id, hint: row.hint };
}
