import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { accessTokenClaims } from "../../src/identity/access-token-claims.js";
import { checkClientSecret } from "../../src/identity/client-secret-check.js";
import { isIssuerOfTenant } from "../../src/identity/issuers.js";
import {
  checkClientCredentialsScope,
  isMarketplaceResource,
} from "../../src/identity/marketplace-resource.js";
import { generateClientSecret, secretHint } from "../../src/identity/secrets.js";
import { servicePrincipalObjectId } from "../../src/identity/service-principal.js";
import { entraTimestamp, TokenEndpointError, tokenErrorBody } from "../../src/identity/token-errors.js";
import { presentedCredentials } from "../../src/identity/token-request.js";
import { createVerifiedTokenCache } from "../../src/identity/verified-token-cache.js";

const resource = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

describe("marketplace resource and scopes", () => {
  it.each([
    [resource, true],
    [resource.toUpperCase(), true],
    [`api://${resource}`, true],
    [`api://${resource}/`, true],
    ["https://marketplaceapi.microsoft.com", true],
    ["62d94f6c-d599-489b-a797-3e10e42fbe22", false],
    ["https://graph.microsoft.com", false],
  ])("isMarketplaceResource(%s) is %s", (value, expected) => {
    expect(isMarketplaceResource(value)).toBe(expected);
  });

  it.each([
    [`${resource}/.default`, { ok: true, resource }],
    [`api://${resource}/.default`, { ok: true, resource: `api://${resource}` }],
    [`openid ${resource}/.default profile offline_access`, { ok: true, resource }],
    [resource, { ok: false, reason: "notDefault" }],
    [`${resource}/user_impersonation`, { ok: false, reason: "notDefault" }],
    ["https://graph.microsoft.com/.default", { ok: false, reason: "unknownResource" }],
    [`${resource}/.default https://graph.microsoft.com/.default`, { ok: false, reason: "several" }],
    ["openid profile", { ok: false, reason: "missing" }],
  ])("checkClientCredentialsScope(%s)", (scope, expected) => {
    expect(checkClientCredentialsScope(scope)).toMatchObject(expected);
  });
});

describe("issuers", () => {
  const base = "https://127.0.0.1:4680";
  it.each([
    [`https://sts.windows.net/${tenant}/`, true],
    [`https://sts.windows.net/${tenant.toUpperCase()}/`, true],
    [`${base}/${tenant}/v2.0`, true],
    [`https://login.microsoftonline.com/${tenant}/v2.0`, true],
    ["https://sts.windows.net/00000000-0000-0000-0000-000000000000/", false],
    [`https://evil.example/${tenant}/v2.0`, false],
  ])("%s belongs to the tenant: %s", (issuer, expected) => {
    expect(isIssuerOfTenant(issuer, tenant, base)).toBe(expected);
  });
});

describe("access-token claims", () => {
  const subject = {
    tenantId: tenant.toUpperCase(),
    appId: "A1B2C3D4-0000-4000-8000-000000000000",
    authorityBaseUrl: "https://s",
  };

  it("builds Entra's v1 app-token claims", () => {
    expect(accessTokenClaims({ ...subject, version: 1, credential: "secret" })).toEqual({
      aud: resource,
      iss: `https://sts.windows.net/${tenant}/`,
      idp: `https://sts.windows.net/${tenant}/`,
      tid: tenant,
      oid: servicePrincipalObjectId(tenant, subject.appId),
      sub: servicePrincipalObjectId(tenant, subject.appId),
      appid: subject.appId.toLowerCase(),
      appidacr: "1",
      ver: "1.0",
      idtyp: "app",
    });
  });

  it("builds Entra's v2 app-token claims", () => {
    expect(accessTokenClaims({ ...subject, version: 2, credential: "certificate" })).toMatchObject({
      iss: `https://s/${tenant}/v2.0`,
      azp: subject.appId.toLowerCase(),
      azpacr: "2",
      ver: "2.0",
    });
  });

  it("derives a stable, GUID-shaped service principal id per tenant and app", () => {
    const id = servicePrincipalObjectId(tenant, subject.appId);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(servicePrincipalObjectId(tenant.toUpperCase(), subject.appId.toLowerCase())).toBe(id);
    expect(servicePrincipalObjectId(tenant, "00000000-0000-4000-8000-000000000000")).not.toBe(id);
  });
});

describe("client secrets", () => {
  const hash = (secret: string) => createHash("sha256").update(secret).digest("hex");
  const now = new Date("2030-01-01T00:00:00Z");

  it("generates 40-character secrets whose hint skips the fixed prefix", () => {
    const secret = generateClientSecret();
    expect(secret).toHaveLength(40);
    expect(secretHint(secret)).toBe(secret.slice(0, 7));
    expect(secretHint("abcdef")).toBe("abc");
  });

  it.each([
    ["the matching secret", "s1", [{ secretHash: hash("s1"), expiresAt: null }], undefined],
    [
      "a secret expiring later",
      "s1",
      [{ secretHash: hash("s1"), expiresAt: "2030-06-01T00:00:00.000Z" }],
      undefined,
    ],
    ["a wrong secret", "nope", [{ secretHash: hash("s1"), expiresAt: null }], 7000215],
    ["no secrets at all", "s1", [], 7000215],
    ["an expired secret", "s1", [{ secretHash: hash("s1"), expiresAt: "2029-12-31T00:00:00.000Z" }], 7000222],
    ["a malformed stored hash", "s1", [{ secretHash: "zz", expiresAt: null }], 7000215],
  ])("%s", (_name, presented, stored, code) => {
    const check = () => checkClientSecret({ presented, stored, appId: "app", now });
    if (code === undefined) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ aadstsCode: code }));
  });
});

describe("token request parsing", () => {
  it("reads client_secret_basic with form-encoded parts", () => {
    const basic = Buffer.from(`${encodeURIComponent("app id")}:${encodeURIComponent("s3cr:t+/=")}`).toString(
      "base64",
    );
    expect(presentedCredentials({}, `Basic ${basic}`)).toMatchObject({
      clientId: "app id",
      secret: "s3cr:t+/=",
    });
  });

  it("prefers the form fields and ignores empty ones", () => {
    expect(presentedCredentials({ client_id: "a", client_secret: "" }, undefined)).toEqual({
      clientId: "a",
      secret: undefined,
      assertionType: undefined,
      assertion: undefined,
    });
  });
});

describe("Entra error bodies", () => {
  it("formats the description, timestamp and ids like login.microsoftonline.com", () => {
    const error = new TokenEndpointError(401, "invalid_client", 7000215, "Invalid client secret provided.");
    const at = new Date("2024-05-06T07:08:09.123Z");
    expect(entraTimestamp(at)).toBe("2024-05-06 07:08:09Z");
    expect(tokenErrorBody(error, { traceId: "t", correlationId: "c" }, at)).toEqual({
      error: "invalid_client",
      error_description:
        "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2024-05-06 07:08:09Z",
      error_codes: [7000215],
      timestamp: "2024-05-06 07:08:09Z",
      trace_id: "t",
      correlation_id: "c",
      error_uri: "https://login.microsoftonline.com/error?code=7000215",
    });
  });
});

describe("verified-token cache", () => {
  it("drops expired entries and evicts the oldest when full", () => {
    const cache = createVerifiedTokenCache<{ live: boolean }>(2);
    cache.set("a", { live: true });
    cache.set("b", { live: false });
    expect(cache.get("b", (value) => value.live)).toBeUndefined();
    cache.set("b", { live: true });
    cache.set("c", { live: true });
    expect(cache.get("a", () => true)).toBeUndefined();
    expect(cache.get("b", () => true)).toEqual({ live: true });
    expect(cache.get("c", () => true)).toEqual({ live: true });
  });
});
