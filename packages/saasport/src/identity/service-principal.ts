import { createHash } from "node:crypto";

/**
 * The object id of the publisher app's service principal (`oid` and `sub` of its tokens). Entra keeps
 * one per app per tenant; Saasport derives it from the pair so it is stable without being stored.
 */
export function servicePrincipalObjectId(tenantId: string, appId: string): string {
  const digest = createHash("sha256")
    .update(`saasport-service-principal:${tenantId.toLowerCase()}:${appId.toLowerCase()}`)
    .digest();
  // Lay the first 16 bytes out as an RFC 4122 version-8 (custom) UUID.
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x80;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}
