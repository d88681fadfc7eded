import { v2Issuer } from "./issuers.js";
import type { PublishedKey } from "./signing-keys.js";

/** `/discovery/keys`: the JWK entries as stored (kty, use, alg, kid, x5t, n, e, x5c). */
export function jwksV1(keys: readonly PublishedKey[]) {
  return { keys: keys.map(({ jwk }) => ({ ...jwk })) };
}

/** `/discovery/v2.0/keys`: like v1, plus the `issuer` Entra adds so validators can tie a key to its issuer. */
export function jwksV2(keys: readonly PublishedKey[], baseUrl: string, issuerTenant: string) {
  return { keys: keys.map(({ jwk }) => ({ ...jwk, issuer: v2Issuer(baseUrl, issuerTenant) })) };
}
