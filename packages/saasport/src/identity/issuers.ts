/**
 * Token issuers in the forms Entra uses. v1 tokens name the tenant at sts.windows.net whatever host
 * issued them; v2 tokens name the authority host, which for Saasport is its own base URL.
 */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function v2Issuer(authorityBaseUrl: string, tenantId: string): string {
  return `${authorityBaseUrl}/${tenantId}/v2.0`;
}

export const entraAuthority = "https://login.microsoftonline.com";

/** Issuers a token for tenant `tenantId` may carry: Saasport's own v1/v2 forms and real Entra ID's. */
export function acceptedIssuers(tenantId: string, saasportBaseUrl: string): string[] {
  const tid = tenantId.toLowerCase();
  return [v1Issuer(tid), v2Issuer(saasportBaseUrl, tid), v2Issuer(entraAuthority, tid)].map((issuer) =>
    issuer.toLowerCase(),
  );
}

export function isIssuerOfTenant(issuer: string, tenantId: string, saasportBaseUrl: string): boolean {
  return acceptedIssuers(tenantId, saasportBaseUrl).includes(issuer.toLowerCase());
}
