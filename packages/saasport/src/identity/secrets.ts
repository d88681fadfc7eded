import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { sha256Hex } from "../http/operator-auth.js";
import { revokeCredentialsById, revokeOwnedCredential } from "./credential-revocation.js";

const secretPrefix = "sps~";

/** Client secrets look like Entra's: 40 characters, high entropy, with a recognisable prefix. */
export function generateClientSecret(): string {
  return `${secretPrefix}${randomBytes(27).toString("base64url")}`;
}

/** The first characters of a secret, to tell secrets apart in listings (past the fixed prefix, as Entra shows 3). */
export function secretHint(secret: string): string {
  return secret.startsWith(secretPrefix) ? secret.slice(0, secretPrefix.length + 3) : secret.slice(0, 3);
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
    hint: secretHint(input.secret),
    description: input.description ?? "",
    created_at: toStored(input.now),
    expires_at: input.expiresAt ? toStored(input.expiresAt) : null,
    revoked_at: null,
  };
  await db.insertInto("publisher_secrets").values(row).execute();
  return { id: row.id, hint: row.hint };
}

/** A secret as listings show it: never the secret or its hash. */
export interface SecretSummary {
  secretId: string;
  hint: string;
  description: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export async function listClientSecrets(db: Kysely<Database>, publisherId: string): Promise<SecretSummary[]> {
  const rows = await db
    .selectFrom("publisher_secrets")
    .select(["id", "hint", "description", "created_at", "expires_at", "revoked_at"])
    .where("publisher_id", "=", publisherId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    secretId: row.id,
    hint: row.hint,
    description: row.description,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  }));
}

/** Revokes a secret; false when the publisher has no such secret. Revoking twice keeps the first date. */
export function revokeClientSecret(
  db: Kysely<Database>,
  input: { publisherId: string; secretId: string; now: Date },
): Promise<boolean> {
  return revokeOwnedCredential(db, "publisher_secrets", { ...input, id: input.secretId });
}

/** Revokes the given secrets, whichever publisher holds them; returns how many were still active. */
export function revokeClientSecretsById(db: Kysely<Database>, secretIds: readonly string[], now: Date) {
  return revokeCredentialsById(db, "publisher_secrets", secretIds, now);
}

/** Hashes of the publisher's secrets that are not revoked, with their expiry. */
export async function activeSecretHashes(
  db: Kysely<Database>,
  publisherId: string,
): Promise<{ secretHash: string; expiresAt: string | null }[]> {
  const rows = await db
    .selectFrom("publisher_secrets")
    .select(["secret_hash", "expires_at"])
    .where("publisher_id", "=", publisherId)
    .where("revoked_at", "is", null)
    .execute();
  return rows.map((row) => ({ secretHash: row.secret_hash, expiresAt: row.expires_at }));
}
