import { v1Issuer, v2Issuer } from "./issuers.js";
import { marketplaceResourceId } from "./marketplace-resource.js";
import { servicePrincipalObjectId } from "./service-principal.js";

/** Access tokens live one hour, like Entra's default. */
export const accessTokenLifetimeSeconds = 3600;

export type AccessTokenVersion = 1 | 2;

/** How the client proved who it is; Entra's `appidacr`/`azpacr`: "1" secret, "2" certificate. */
export type ClientCredentialKind = "secret" | "certificate";

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  sub: string;
  ver: "1.0" | "2.0";
  idtyp: "app";
  [claim: string]: string;
}

export interface AccessTokenSubject {
  version: AccessTokenVersion;
  tenantId: string;
  appId: string;
  credential: ClientCredentialKind;
  /** Saasport's base URL, the authority host named by v2 issuers. */
  authorityBaseUrl: string;
  /** The resource id the token was requested for (default: the marketplace's current id). */
  audience?: string;
}

/** The claims Entra puts in an app-only token for the marketplace resource (timestamps and ids are added when signing). */
export function accessTokenClaims(subject: AccessTokenSubject): AccessTokenClaims {
  const tid = subject.tenantId.toLowerCase();
  const appId = subject.appId.toLowerCase();
  const oid = servicePrincipalObjectId(tid, appId);
  const acr = subject.credential === "certificate" ? "2" : "1";
  const aud = subject.audience ?? marketplaceResourceId;
  const common = { aud, tid, oid, sub: oid, idtyp: "app" as const };
  if (subject.version === 2) {
    return { ...common, iss: v2Issuer(subject.authorityBaseUrl, tid), azp: appId, azpacr: acr, ver: "2.0" };
  }
  const iss = v1Issuer(tid);
  return { ...common, iss, idp: iss, appid: appId, appidacr: acr, ver: "1.0" };
}
