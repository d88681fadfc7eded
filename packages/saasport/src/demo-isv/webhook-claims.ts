import type { JWTPayload } from "jose";
import { marketplaceAppId } from "./marketplace-app-id.js";

export interface ExpectedWebhookClaims {
  /** The publisher's app id: the token's audience. */
  clientId: string;
  tenantId: string;
}

/**
 * The claim checks of Microsoft's SaaS Accelerator, after the signature and lifetime were verified:
 * `aud` is the publisher's own app id, `tid` its tenant, and the caller (`azp` in v2 tokens, `appid`
 * in v1) is the marketplace. The issuer is not checked. Returns the problems found (none = valid).
 */
export function webhookClaimProblems(claims: JWTPayload, expected: ExpectedWebhookClaims): string[] {
  const problems: string[] = [];
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((audience) => sameId(audience, expected.clientId)))
    problems.push(`aud is not this app's id ${expected.clientId}`);
  if (!sameId(claims.tid, expected.tenantId))
    problems.push(`tid is not this app's tenant ${expected.tenantId}`);
  const caller = typeof claims.azp === "string" ? claims.azp : claims.appid;
  if (!sameId(caller, marketplaceAppId))
    problems.push(`azp/appid is not the marketplace (${marketplaceAppId})`);
  return problems;
}

function sameId(value: unknown, expected: string): boolean {
  return typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
}
