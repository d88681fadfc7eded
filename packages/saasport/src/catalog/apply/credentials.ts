import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/tables.js";
import { toStored } from "../../db/time.js";
import type { PublicKeyCredential } from "../../identity/credential-pem.js";
import { registerClientSecret } from "../../identity/secrets.js";

export interface StoredCredentialIds {
  secretIds: string[];
  certificateIds: string[];
}

/** Makes sure each secret (hashed) and certificate of the file is registered; registering again is a no-op. */
export async function registerCatalogCredentials(
  db: Kysely<Database>,
  input: {
    publisherId: string;
    clientSecrets: readonly string[];
    certificates: readonly PublicKeyCredential[];
    now: Date;
  },
): Promise<StoredCredentialIds> {
  const secretIds: string[] = [];
  for (const secret of input.clientSecrets) {
    const registered = await registerClientSecret(db, {
      publisherId: input.publisherId,
      secret,
      description: "from the catalog",
      now: input.now,
    });
    secretIds.push(registered.id);
  }
  const certificateIds: string[] = [];
  for (const certificate of input.certificates) {
    certificateIds.push(await registerCertificate(db, input.publisherId, certificate, input.now));
  }
  return { secretIds, certificateIds };
}

async function registerCertificate(
  db: Kysely<Database>,
  publisherId: string,
  certificate: PublicKeyCredential,
  now: Date,
): Promise<string> {
  const existing = await db
    .selectFrom("publisher_certificates")
    .select("id")
    .where("publisher_id", "=", publisherId)
    .where("public_key_pem", "=", certificate.publicKeyPem)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = randomUUID();
  await db
    .insertInto("publisher_certificates")
    .values({
      id,
      publisher_id: publisherId,
      public_key_pem: certificate.publicKeyPem,
      x5t: certificate.x5t,
      x5t_s256: certificate.x5tS256,
      created_at: toStored(now),
      revoked_at: null,
    })
    .execute();
  return id;
}

/** Revokes credentials a catalog file no longer lists; returns how many were still active. */
export async function revokeCatalogCredentials(
  db: Kysely<Database>,
  ids: StoredCredentialIds,
  now: Date,
): Promise<number> {
  let revoked = 0;
  if (ids.secretIds.length > 0) {
    const result = await db
      .updateTable("publisher_secrets")
      .set({ revoked_at: toStored(now) })
      .where("id", "in", ids.secretIds)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    revoked += Number(result.numUpdatedRows);
  }
  if (ids.certificateIds.length > 0) {
    const result = await db
      .updateTable("publisher_certificates")
      .set({ revoked_at: toStored(now) })
      .where("id", "in", ids.certificateIds)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    revoked += Number(result.numUpdatedRows);
  }
  return revoked;
}
