import { randomUUID } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import type { Clock } from "../clock/clock.js";
import type { PublishedKeyStore } from "../identity/published-keys.js";
import type { TokenSigner } from "../identity/token-signer.js";

/** Audience of buyer tokens: they open the store API only, never /api or /partner. */
export const storeAudience = "api://saasport/store";

export interface Buyer {
  tenantId: string;
  objectId: string;
  emailId: string;
}

export const buyerTokenLifetimeSeconds = 3600;

/** A buyer's sign-in: an RS256 token signed with Saasport's keys, naming the buyer's tenant and user. */
export async function issueBuyerToken(signer: TokenSigner, buyer: Buyer, issuer: string) {
  const signed = await signer.signJwt(
    { tid: buyer.tenantId, oid: buyer.objectId, email: buyer.emailId, idtyp: "user" },
    { audience: storeAudience, issuer, subject: buyer.objectId, lifetimeSeconds: buyerTokenLifetimeSeconds },
  );
  return signed.token;
}

/** The buyer a token names, or undefined when it is not a valid, unexpired buyer token. */
export async function verifyBuyerToken(
  keys: PublishedKeyStore,
  clock: Clock,
  token: string,
): Promise<Buyer | undefined> {
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    if (alg !== "RS256" || typeof kid !== "string") return undefined;
    const key = await keys.find(kid, clock.now());
    if (!key) return undefined;
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["RS256"],
      audience: storeAudience,
      currentDate: clock.now(),
      clockTolerance: 60,
      requiredClaims: ["exp", "tid", "oid"],
    });
    const { tid, oid, email } = payload as { tid?: unknown; oid?: unknown; email?: unknown };
    if (typeof tid !== "string" || typeof oid !== "string") return undefined;
    return { tenantId: tid, objectId: oid, emailId: typeof email === "string" ? email : "" };
  } catch {
    return undefined;
  }
}

export function newBuyer(input: {
  tenantId: string;
  objectId?: string | undefined;
  emailId?: string | undefined;
}): Buyer {
  const tenantId = input.tenantId.toLowerCase();
  return {
    tenantId,
    objectId: (input.objectId ?? randomUUID()).toLowerCase(),
    emailId: input.emailId ?? `buyer@${tenantId.slice(0, 8)}.example.com`,
  };
}
