import type { Kysely } from "kysely";
import type { Database } from "../../db/tables.js";
import { registerCertificate, revokeCertificatesById } from "../../identity/certificates.js";
import type { PublicKeyCredential } from "../../identity/credential-pem.js";
import { registerClientSecret, revokeClientSecretsById } from "../../identity/secrets.js";

export interface StoredCredentialIds {
  secretIds: string[];
  certificateIds: string[];
}

/**
 * Makes sure each secret (hashed) and certificate of the file is registered; registering again is a no-op.
 * The credentials themselves belong to the identity module; the catalog only remembers their ids.
 */
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
    const registered = await registerCertificate(db, {
      publisherId: input.publisherId,
      credential: {
        kind: certificate.x5t ? "certificate" : "publicKey",
        pem: certificate.publicKeyPem,
        x5t: certificate.x5t,
        x5tS256: certificate.x5tS256,
      },
      now: input.now,
    });
    certificateIds.push(registered.summary.certificateId);
  }
  return { secretIds, certificateIds };
}

/** Revokes credentials a catalog file no longer lists; returns how many were still active. */
export async function revokeCatalogCredentials(
  db: Kysely<Database>,
  ids: StoredCredentialIds,
  now: Date,
): Promise<number> {
  const secrets = await revokeClientSecretsById(db, ids.secretIds, now);
  const certificates = await revokeCertificatesById(db, ids.certificateIds, now);
  return secrets + certificates;
}
