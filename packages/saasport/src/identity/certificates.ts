import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { parsePublicKeyCredential } from "./credential-pem.js";
import { revokeCredentialsById, revokeOwnedCredential } from "./credential-revocation.js";

/** A credential a publisher app signs client assertions with: a certificate, or a bare public key. */
export interface ParsedCredential {
  kind: "certificate" | "publicKey";
  /** Normalised PEM (the certificate, or the SPKI public key). */
  pem: string;
  /** base64url SHA-1 / SHA-256 of the certificate's DER, as clients put them in `x5t` / `x5t#S256`. */
  x5t: string | null;
  x5tS256: string | null;
}

export class InvalidCredentialPem extends Error {}

/** Reads a PEM certificate or public key; rejects private keys and anything but RSA of 2048 bits or more. */
export function parseCredentialPem(text: string): ParsedCredential {
  const parsed = parsePublicKeyCredential(text);
  if (!parsed.ok) throw new InvalidCredentialPem(`The PEM ${parsed.problem}.`);
  const { publicKeyPem, x5t, x5tS256 } = parsed.credential;
  return { kind: x5t ? "certificate" : "publicKey", pem: publicKeyPem, x5t, x5tS256 };
}

export interface CertificateSummary {
  certificateId: string;
  kind: "certificate" | "publicKey";
  x5t: string | null;
  x5tS256: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Registers a credential for a publisher; registering the same one again returns the existing entry. */
export async function registerCertificate(
  db: Kysely<Database>,
  input: { publisherId: string; credential: ParsedCredential; now: Date },
): Promise<{ summary: CertificateSummary; created: boolean }> {
  const existing = await db
    .selectFrom("publisher_certificates")
    .selectAll()
    .where("publisher_id", "=", input.publisherId)
    .where("public_key_pem", "=", input.credential.pem)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (existing) return { summary: summaryOf(existing), created: false };
  const row = {
    id: randomUUID(),
    publisher_id: input.publisherId,
    public_key_pem: input.credential.pem,
    x5t: input.credential.x5t,
    x5t_s256: input.credential.x5tS256,
    created_at: toStored(input.now),
    revoked_at: null,
  };
  await db.insertInto("publisher_certificates").values(row).execute();
  return { summary: summaryOf(row), created: true };
}

function summaryOf(row: {
  id: string;
  public_key_pem: string;
  x5t: string | null;
  x5t_s256: string | null;
  created_at: string;
  revoked_at: string | null;
}): CertificateSummary {
  return {
    certificateId: row.id,
    kind: row.public_key_pem.includes("BEGIN CERTIFICATE") ? "certificate" : "publicKey",
    x5t: row.x5t,
    x5tS256: row.x5t_s256,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export async function listCertificates(
  db: Kysely<Database>,
  publisherId: string,
): Promise<CertificateSummary[]> {
  const rows = await db
    .selectFrom("publisher_certificates")
    .selectAll()
    .where("publisher_id", "=", publisherId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(summaryOf);
}

/** Revokes a certificate; false when the publisher has no such certificate. Revoking twice keeps the first date. */
export function revokeCertificate(
  db: Kysely<Database>,
  input: { publisherId: string; certificateId: string; now: Date },
): Promise<boolean> {
  return revokeOwnedCredential(db, "publisher_certificates", { ...input, id: input.certificateId });
}

/** Revokes the given certificates, whichever publisher holds them; returns how many were still active. */
export function revokeCertificatesById(db: Kysely<Database>, certificateIds: readonly string[], now: Date) {
  return revokeCredentialsById(db, "publisher_certificates", certificateIds, now);
}

export interface AssertionKey {
  pem: string;
  x5t: string | null;
  x5tS256: string | null;
}

export async function activeAssertionKeys(
  db: Kysely<Database>,
  publisherId: string,
): Promise<AssertionKey[]> {
  const rows = await db
    .selectFrom("publisher_certificates")
    .select(["public_key_pem", "x5t", "x5t_s256"])
    .where("publisher_id", "=", publisherId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((row) => ({ pem: row.public_key_pem, x5t: row.x5t, x5tS256: row.x5t_s256 }));
}
