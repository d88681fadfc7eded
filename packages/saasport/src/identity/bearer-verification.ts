import type { KeyObject } from "node:crypto";
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import type { Clock } from "../clock/clock.js";
import { isIssuerOfTenant } from "./issuers.js";
import { marketplaceAudiences } from "./marketplace-resource.js";
import type { PublishedKeyStore } from "./published-keys.js";
import { isGuid } from "./service-principal.js";

/** Who a verified token says the caller is. */
export interface VerifiedCaller {
  tenantId: string;
  appId: string;
  expiresAt: Date;
  /** Saasport's own key, or the trusted remote JWKS (whose tokens run on real time, not the marketplace clock). */
  signedBy: "saasport" | "trusted";
}

export class InvalidBearerToken extends Error {
  constructor(readonly reason: string) {
    super(`invalid bearer token: ${reason}`);
    this.name = "InvalidBearerToken";
  }
}

export const bearerClockSkewSeconds = 60;

export interface BearerVerifierDeps {
  keys: PublishedKeyStore;
  /** Marketplace time: Saasport's tokens are issued and checked on it. */
  clock: Clock;
  wallClock: Clock;
  baseUrl: () => string;
  /** Keys of another issuer whose tokens are accepted too (e.g. real Entra ID). */
  trustedJwks?: JWTVerifyGetKey | undefined;
  /** Also accept tokens for the legacy marketplace resource id (spec §10.24). */
  acceptLegacyResource?: boolean;
}

export type BearerVerifier = (token: string) => Promise<VerifiedCaller>;

export function remoteJwks(uri: string | undefined): JWTVerifyGetKey | undefined {
  return uri ? createRemoteJWKSet(new URL(uri)) : undefined;
}

/** Checks signature (RS256), lifetime (60 s skew), audience and issuer; throws InvalidBearerToken. */
export function createBearerVerifier(deps: BearerVerifierDeps): BearerVerifier {
  const audiences = [...marketplaceAudiences(deps.acceptLegacyResource ?? false)];
  return async (token) => {
    let kid: unknown;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "RS256") throw new InvalidBearerToken(`algorithm ${String(header.alg)}`);
      kid = header.kid;
    } catch (error) {
      throw error instanceof InvalidBearerToken ? error : new InvalidBearerToken("malformed");
    }
    const ownKey = typeof kid === "string" ? await deps.keys.find(kid, deps.clock.now()) : undefined;
    if (ownKey)
      return callerOf(await verify(token, ownKey, deps.clock.now(), audiences), "saasport", deps.baseUrl());
    if (deps.trustedJwks) {
      const payload = await verify(token, deps.trustedJwks, deps.wallClock.now(), audiences);
      return callerOf(payload, "trusted", deps.baseUrl());
    }
    throw new InvalidBearerToken("unknown signing key");
  };
}

async function verify(
  token: string,
  key: KeyObject | JWTVerifyGetKey,
  now: Date,
  audience: string[],
): Promise<JWTPayload> {
  const options = {
    algorithms: ["RS256"],
    audience,
    clockTolerance: bearerClockSkewSeconds,
    currentDate: now,
    requiredClaims: ["exp", "iss", "tid"],
  };
  try {
    const { payload } =
      typeof key === "function" ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
    return payload;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "ERR_JWT_INVALID";
    throw new InvalidBearerToken(code);
  }
}

function callerOf(
  payload: JWTPayload,
  signedBy: VerifiedCaller["signedBy"],
  baseUrl: string,
): VerifiedCaller {
  const tenantId = payload.tid;
  if (typeof tenantId !== "string" || !isGuid(tenantId)) throw new InvalidBearerToken("tid");
  if (typeof payload.iss !== "string" || !isIssuerOfTenant(payload.iss, tenantId, baseUrl)) {
    throw new InvalidBearerToken("issuer does not match tid");
  }
  const appId = payload.ver === "2.0" ? (payload.azp ?? payload.appid) : (payload.appid ?? payload.azp);
  if (typeof appId !== "string" || appId === "") throw new InvalidBearerToken("no appid/azp");
  return {
    tenantId: tenantId.toLowerCase(),
    appId: appId.toLowerCase(),
    expiresAt: new Date((payload.exp ?? 0) * 1000),
    signedBy,
  };
}
