/** The marketplace's first-party application id: the resource publisher tokens are requested for. */
export const marketplaceResourceId = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

/**
 * The resource id older documentation names (spec §10.24); requested for and accepted only with the
 * fidelity setting `legacyResourceId: "accept"`.
 */
const legacyMarketplaceResourceId = "62d94f6c-d599-489b-a797-3e10e42fbe22";

/** Audiences accepted on incoming bearer tokens (spec §2.1; the URI forms are tolerated). */
const acceptedAudiences: readonly string[] = [
  marketplaceResourceId,
  `api://${marketplaceResourceId}`,
  "https://marketplaceapi.microsoft.com",
];

const withLegacy: readonly string[] = [
  ...acceptedAudiences,
  legacyMarketplaceResourceId,
  `api://${legacyMarketplaceResourceId}`,
];

/** The audiences a token may carry, and the resources one may be requested for. */
export function marketplaceAudiences(acceptLegacy: boolean): readonly string[] {
  return acceptLegacy ? withLegacy : acceptedAudiences;
}

/** The `aud` of a token requested for `resource` (an accepted form): the legacy id or the current one. */
export function audienceFor(resource: string): string {
  return resource.toLowerCase().includes(legacyMarketplaceResourceId)
    ? legacyMarketplaceResourceId
    : marketplaceResourceId;
}

/** Scopes MSAL adds to every request; they never name a resource, so a client-credentials request may carry them. */
const oidcScopes = new Set(["openid", "profile", "offline_access", "email"]);

/** True for the marketplace resource id and its URI forms, as a v1 `resource=` value or a v2 scope prefix. */
export function isMarketplaceResource(value: string, acceptLegacy = false): boolean {
  const normalized = value.trim().toLowerCase().replace(/\/+$/, "");
  return marketplaceAudiences(acceptLegacy).includes(normalized);
}

export type ScopeCheck =
  | { ok: true; resource: string }
  | { ok: false; reason: "missing" | "notDefault" | "unknownResource" | "several"; scope: string };

/**
 * Client credentials on the v2 endpoint need exactly one `<resource>/.default` scope. MSAL's OIDC
 * scopes are ignored; anything else is rejected the way Entra rejects it.
 */
export function checkClientCredentialsScope(rawScope: string, acceptLegacy = false): ScopeCheck {
  const scopes = rawScope
    .split(/\s+/)
    .filter((scope) => scope !== "" && !oidcScopes.has(scope.toLowerCase()));
  const [only] = scopes;
  if (only === undefined) return { ok: false, reason: "missing", scope: rawScope.trim() };
  if (scopes.length > 1) return { ok: false, reason: "several", scope: rawScope.trim() };
  const defaultSuffix = "/.default";
  if (!only.toLowerCase().endsWith(defaultSuffix)) return { ok: false, reason: "notDefault", scope: only };
  const resource = only.slice(0, -defaultSuffix.length);
  if (!isMarketplaceResource(resource, acceptLegacy))
    return { ok: false, reason: "unknownResource", scope: only };
  return { ok: true, resource };
}
