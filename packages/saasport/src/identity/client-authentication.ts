import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import type { ClientCredentialKind } from "./access-token-claims.js";
import { activeAssertionKeys } from "./certificates.js";
import { checkClientAssertion, jwtBearerAssertionType } from "./client-assertion-check.js";
import { checkClientSecret } from "./client-secret-check.js";
import { activeSecretHashes } from "./secrets.js";
import { tokenErrors } from "./token-errors.js";
import type { PresentedCredentials } from "./token-request.js";

export interface ClientAuthenticationInput {
  publisherId: string;
  appId: string;
  credentials: PresentedCredentials;
  /** Token endpoint URLs a client assertion may name as its audience (lower case). */
  assertionAudiences: readonly string[];
  /** Marketplace time, for secret expiry. */
  now: Date;
  /** Real time, for the client's assertion window. */
  wallTime: Date;
}

/** Authenticates the publisher app with its client secret or a signed client assertion. */
export async function authenticateClient(
  db: Kysely<Database>,
  input: ClientAuthenticationInput,
): Promise<ClientCredentialKind> {
  const { secret, assertion, assertionType } = input.credentials;
  if (secret !== undefined) {
    checkClientSecret({
      presented: secret,
      stored: await activeSecretHashes(db, input.publisherId),
      appId: input.appId,
      now: input.now,
    });
    return "secret";
  }
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType === undefined) throw tokenErrors.missingParameter("client_assertion_type");
    if (assertionType !== jwtBearerAssertionType) throw tokenErrors.unsupportedAssertionType(assertionType);
    if (assertion === undefined) throw tokenErrors.missingParameter("client_assertion");
    await checkClientAssertion({
      assertion,
      clientId: input.appId,
      audiences: input.assertionAudiences,
      keys: await activeAssertionKeys(db, input.publisherId),
      now: input.wallTime,
    });
    return "certificate";
  }
  throw tokenErrors.missingCredential();
}
