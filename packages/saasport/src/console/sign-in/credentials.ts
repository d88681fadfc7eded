import type { Kysely } from "kysely";
import type { CatalogReader } from "../../catalog/repository.js";
import type { Database } from "../../db/tables.js";
import { isOperatorKey } from "../../http/operator-auth.js";
import { checkClientSecret } from "../../identity/client-secret-check.js";
import { activeSecretHashes } from "../../identity/secrets.js";

/** Checks the credentials of the sign-in forms against what Saasport stores (hashes only). */
export interface CredentialChecks {
  isOperatorKey(presented: string): boolean;
  /** The publisher whose app registration these are, or undefined when they are not valid. */
  publisher(input: {
    tenantId: string;
    clientId: string;
    clientSecret: string;
    now: Date;
  }): Promise<{ publisherId: string; displayName: string } | undefined>;
}

export function createCredentialChecks(deps: {
  db: Kysely<Database>;
  catalog: Pick<CatalogReader, "findPublisherByApp">;
  operatorKeyHash: string;
}): CredentialChecks {
  return {
    isOperatorKey: (presented) => isOperatorKey(presented, deps.operatorKeyHash),
    async publisher({ tenantId, clientId, clientSecret, now }) {
      const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      if (!guid.test(tenantId) || !guid.test(clientId) || clientSecret === "") return undefined;
      const publisher = await deps.catalog.findPublisherByApp(tenantId, clientId);
      if (!publisher) return undefined;
      // The token service's own check: the secret's SHA-256 against every live stored hash, with expiry.
      try {
        checkClientSecret({
          presented: clientSecret,
          stored: await activeSecretHashes(deps.db, publisher.id),
          appId: clientId,
          now,
        });
      } catch {
        return undefined;
      }
      return { publisherId: publisher.id, displayName: publisher.displayName };
    },
  };
}
