import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerClientSecret, revokeClientSecret } from "../../src/identity/secrets.js";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  decodeToken,
  insertPublisher,
  marketplaceResource,
  postForm,
  type TestPublisher,
  v1TokenForm,
  v2TokenForm,
} from "./identity-support.js";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(databaseKinds)("token endpoints on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;
  let v1Path: string;
  let v2Path: string;

  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    publisher = await insertPublisher(server.handle.database.db);
    v1Path = `/${publisher.tenantId}/oauth2/token`;
    v2Path = `/${publisher.tenantId}/oauth2/v2.0/token`;
  });
  afterAll(async () => server?.stop());

  describe("successful requests", () => {
    it("answers the v1 endpoint with Entra's v1 body: numbers as strings and the resource as sent", async () => {
      const before = Math.floor(Date.now() / 1000);
      const answer = await postForm(
        server,
        v1Path,
        v1TokenForm(publisher, { resource: `api://${marketplaceResource}` }),
      );
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.json)).toEqual([
        "token_type",
        "expires_in",
        "ext_expires_in",
        "expires_on",
        "not_before",
        "resource",
        "access_token",
      ]);
      expect(answer.json).toMatchObject({
        token_type: "Bearer",
        expires_in: "3599",
        ext_expires_in: "3599",
        resource: `api://${marketplaceResource}`,
      });
      const { claims } = decodeToken(String(answer.json.access_token));
      expect(answer.json.expires_on).toBe(String(claims.exp));
      expect(answer.json.not_before).toBe(String(claims.nbf));
      expect(claims.exp).toBeGreaterThanOrEqual(before + 3600);
      expect(answer.headers.get("cache-control")).toBe("no-store, no-cache");
      expect(answer.headers.get("content-type")).toBe("application/json; charset=utf-8");
    });

    it("answers the v2 endpoint with Entra's v2 body", async () => {
      const answer = await postForm(server, v2Path, v2TokenForm(publisher));
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.json)).toEqual([
        "token_type",
        "expires_in",
        "ext_expires_in",
        "access_token",
      ]);
      expect(answer.json).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    });

    it("issues a v1-format app token for the marketplace resource by default", async () => {
      const answer = await postForm(server, v2Path, v2TokenForm(publisher));
      const { header, claims } = decodeToken(String(answer.json.access_token));
      expect(header).toMatchObject({ alg: "RS256", typ: "JWT" });
      expect(header.kid).toEqual(expect.any(String));
      expect(header.x5t).toBe(header.kid);
      expect(claims).toMatchObject({
        aud: marketplaceResource,
        iss: `https://sts.windows.net/${publisher.tenantId}/`,
        idp: `https://sts.windows.net/${publisher.tenantId}/`,
        tid: publisher.tenantId,
        appid: publisher.appId,
        appidacr: "1",
        ver: "1.0",
        idtyp: "app",
      });
      expect(claims.oid).toMatch(guid);
      expect(claims.sub).toBe(claims.oid);
      expect(claims.uti).toEqual(expect.any(String));
      expect(claims.jti).toBe(claims.uti);
      expect(claims.nbf).toBe(claims.iat);
      expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
      expect(claims).not.toHaveProperty("azp");
    });

    it("keeps the service principal object id stable across tokens", async () => {
      const first = decodeToken(
        String((await postForm(server, v1Path, v1TokenForm(publisher))).json.access_token),
      );
      const second = decodeToken(
        String((await postForm(server, v2Path, v2TokenForm(publisher))).json.access_token),
      );
      expect(second.claims.oid).toBe(first.claims.oid);
      expect(second.claims.uti).not.toBe(first.claims.uti);
    });

    it("accepts the scopes MSAL adds, an upper-case tenant and the api:// resource form", async () => {
      const answer = await postForm(
        server,
        `/${publisher.tenantId.toUpperCase()}/oauth2/v2.0/token`,
        v2TokenForm(publisher, {
          scope: `api://${marketplaceResource}/.default openid profile offline_access`,
        }),
      );
      expect(answer.status).toBe(200);
      expect(decodeToken(String(answer.json.access_token)).claims.aud).toBe(marketplaceResource);
    });

    it("accepts client_secret_basic (credentials in an HTTP Basic header)", async () => {
      const { client_id: _id, client_secret: _secret, ...form } = v2TokenForm(publisher);
      const basic = Buffer.from(
        `${encodeURIComponent(publisher.appId)}:${encodeURIComponent(publisher.secret)}`,
      ).toString("base64");
      const answer = await postForm(server, v2Path, form, { authorization: `Basic ${basic}` });
      expect(answer.status).toBe(200);
    });

    it("echoes client-request-id as Entra does and sets x-ms-request-id", async () => {
      const answer = await postForm(server, v2Path, v2TokenForm(publisher), {
        "client-request-id": "my-correlation",
      });
      expect(answer.headers.get("client-request-id")).toBe("my-correlation");
      expect(answer.headers.get("x-ms-request-id")).toMatch(guid);
    });

    it("accepts any secret of the app that is neither revoked nor expired", async () => {
      const db = server.handle.database.db;
      const future = new Date(Date.now() + 3600_000);
      await registerClientSecret(db, {
        publisherId: publisher.id,
        secret: "second-secret",
        now: new Date(),
        expiresAt: future,
      });
      const answer = await postForm(
        server,
        v2Path,
        v2TokenForm(publisher, { client_secret: "second-secret" }),
      );
      expect(answer.status).toBe(200);
    });
  });

  describe("errors, shaped and coded like Entra's", () => {
    const cases: Array<{
      name: string;
      version: 1 | 2;
      tenant?: string;
      form: (p: TestPublisher) => Record<string, string>;
      status: number;
      error: string;
      code: number;
      says: string;
    }> = [
      {
        name: "missing grant_type",
        version: 2,
        form: (p) => ({ ...v2TokenForm(p), grant_type: "" }),
        status: 400,
        error: "invalid_request",
        code: 900144,
        says: "The request body must contain the following parameter: 'grant_type'.",
      },
      {
        name: "unsupported grant type",
        version: 2,
        form: (p) => v2TokenForm(p, { grant_type: "password" }),
        status: 400,
        error: "unsupported_grant_type",
        code: 70003,
        says: "The app requested an unsupported grant type 'password'.",
      },
      {
        name: "unknown tenant",
        version: 2,
        tenant: "0d9b4e27-0000-4000-8000-000000000000",
        form: (p) => v2TokenForm(p),
        status: 400,
        error: "invalid_request",
        code: 90002,
        says: "Tenant '0d9b4e27-0000-4000-8000-000000000000' not found.",
      },
      {
        name: "tenant that is not a GUID",
        version: 1,
        tenant: "contoso.onmicrosoft.com",
        form: (p) => v1TokenForm(p),
        status: 400,
        error: "invalid_request",
        code: 90002,
        says: "Tenant 'contoso.onmicrosoft.com' not found.",
      },
      {
        name: "missing client_id",
        version: 2,
        form: (p) => ({ ...v2TokenForm(p), client_id: "" }),
        status: 400,
        error: "invalid_request",
        code: 900144,
        says: "'client_id'",
      },
      {
        name: "application not in the tenant",
        version: 2,
        form: (p) => v2TokenForm(p, { client_id: "11111111-2222-4333-8444-555555555555" }),
        status: 400,
        error: "unauthorized_client",
        code: 700016,
        says: "Application with identifier '11111111-2222-4333-8444-555555555555' was not found in the directory",
      },
      {
        name: "v1 without resource",
        version: 1,
        form: (p) => ({ ...v1TokenForm(p), resource: "" }),
        status: 400,
        error: "invalid_request",
        code: 900144,
        says: "'resource'",
      },
      {
        name: "v1 for another resource",
        version: 1,
        form: (p) => v1TokenForm(p, { resource: "https://graph.microsoft.com" }),
        status: 400,
        error: "invalid_resource",
        code: 500011,
        says: "The resource principal named https://graph.microsoft.com was not found in the tenant",
      },
      {
        name: "v1 for the legacy resource id (spec §10.24), refused by default",
        version: 1,
        form: (p) => v1TokenForm(p, { resource: "62d94f6c-d599-489b-a797-3e10e42fbe22" }),
        status: 400,
        error: "invalid_resource",
        code: 500011,
        says: "The resource principal named 62d94f6c-d599-489b-a797-3e10e42fbe22 was not found in the tenant",
      },
      {
        name: "v2 without scope",
        version: 2,
        form: (p) => ({ ...v2TokenForm(p), scope: "" }),
        status: 400,
        error: "invalid_request",
        code: 900144,
        says: "'scope'",
      },
      {
        name: "v2 scope without /.default",
        version: 2,
        form: (p) => v2TokenForm(p, { scope: marketplaceResource }),
        status: 400,
        error: "invalid_scope",
        code: 1002012,
        says: "Client credential flows must have a scope value with /.default suffixed",
      },
      {
        name: "v2 scope of another resource",
        version: 2,
        form: (p) => v2TokenForm(p, { scope: "https://graph.microsoft.com/.default" }),
        status: 400,
        error: "invalid_resource",
        code: 500011,
        says: "The resource principal named https://graph.microsoft.com was not found",
      },
      {
        name: "v2 scope naming two resources",
        version: 2,
        form: (p) =>
          v2TokenForm(p, { scope: `${marketplaceResource}/.default https://graph.microsoft.com/.default` }),
        status: 400,
        error: "invalid_scope",
        code: 70011,
        says: "The provided value for the input parameter 'scope' is not valid.",
      },
      {
        name: "v2 scope with only OpenID scopes",
        version: 2,
        form: (p) => v2TokenForm(p, { scope: "openid profile" }),
        status: 400,
        error: "invalid_scope",
        code: 70011,
        says: "'scope' is not valid",
      },
      {
        name: "neither secret nor assertion",
        version: 2,
        form: (p) => ({ ...v2TokenForm(p), client_secret: "" }),
        status: 401,
        error: "invalid_client",
        code: 7000218,
        says: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      },
      {
        name: "wrong secret",
        version: 1,
        form: (p) => v1TokenForm(p, { client_secret: "not-the-secret" }),
        status: 401,
        error: "invalid_client",
        code: 7000215,
        says: "Invalid client secret provided.",
      },
    ];

    it.each(cases)("$name → $status $error AADSTS$code", async (testCase) => {
      const tenant = testCase.tenant ?? publisher.tenantId;
      const path = testCase.version === 1 ? `/${tenant}/oauth2/token` : `/${tenant}/oauth2/v2.0/token`;
      const answer = await postForm(server, path, testCase.form(publisher), {
        "client-request-id": "corr-1",
      });
      expect(answer.status).toBe(testCase.status);
      expect(answer.json).toMatchObject({
        error: testCase.error,
        error_codes: [testCase.code],
        correlation_id: "corr-1",
      });
      const description = String(answer.json.error_description);
      expect(description.startsWith(`AADSTS${testCase.code}: `)).toBe(true);
      expect(description).toContain(testCase.says);
      expect(description).toMatch(
        /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: corr-1\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
      );
      expect(answer.json.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
      expect(answer.json.trace_id).toBe(answer.headers.get("x-ms-request-id"));
      expect(answer.json.error_uri).toBe(`https://login.microsoftonline.com/error?code=${testCase.code}`);
      expect(answer.headers.get("content-type")).toBe("application/json; charset=utf-8");
    });

    it("answers an expired secret with AADSTS7000222", async () => {
      const db = server.handle.database.db;
      const past = new Date(Date.now() - 60_000);
      await registerClientSecret(db, {
        publisherId: publisher.id,
        secret: "expired-secret",
        now: new Date(),
        expiresAt: past,
      });
      const answer = await postForm(
        server,
        v2Path,
        v2TokenForm(publisher, { client_secret: "expired-secret" }),
      );
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [7000222] });
      expect(String(answer.json.error_description)).toContain(
        `The provided client secret keys for app '${publisher.appId}' are expired.`,
      );
    });

    it("answers a revoked secret like a wrong one", async () => {
      const db = server.handle.database.db;
      const registered = await registerClientSecret(db, {
        publisherId: publisher.id,
        secret: "revoked-secret",
        now: new Date(),
      });
      expect(
        (await postForm(server, v2Path, v2TokenForm(publisher, { client_secret: "revoked-secret" }))).status,
      ).toBe(200);
      await revokeClientSecret(db, { publisherId: publisher.id, secretId: registered.id, now: new Date() });
      const answer = await postForm(
        server,
        v2Path,
        v2TokenForm(publisher, { client_secret: "revoked-secret" }),
      );
      expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    });

    it("does not take another publisher's secret", async () => {
      const other = await insertPublisher(server.handle.database.db);
      const answer = await postForm(server, v2Path, v2TokenForm(publisher, { client_secret: other.secret }));
      expect(answer.json).toMatchObject({ error_codes: [7000215] });
    });

    it("reads a JSON body as no parameters at all, as Entra does", async () => {
      const response = await server.fetch(v2Path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(v2TokenForm(publisher)),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_request", error_codes: [900144] });
    });

    it("reads a JSON body that does not parse the same way", async () => {
      const response = await server.fetch(v2Path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "a=%ZZ&b",
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_request", error_codes: [900144] });
    });

    it("answers an oversized body in Entra's shape too", async () => {
      const response = await server.fetch(v2Path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=client_credentials&padding=${"x".repeat(300 * 1024)}`,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_request", error_codes: [90023] });
    });
  });
});

describe.each(databaseKinds)("v2 access tokens (accessTokenVersion 2) on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;
  beforeAll(async () => {
    server = await startTestServer({ database: kind, settings: { accessTokenVersion: 2 } });
    publisher = await insertPublisher(server.handle.database.db);
  });
  afterAll(async () => server?.stop());

  it("issues azp/azpacr, ver 2.0 and Saasport's v2 issuer", async () => {
    const answer = await postForm(server, `/${publisher.tenantId}/oauth2/token`, v1TokenForm(publisher));
    const { claims } = decodeToken(String(answer.json.access_token));
    expect(claims).toMatchObject({
      aud: marketplaceResource,
      iss: `${server.url}/${publisher.tenantId}/v2.0`,
      azp: publisher.appId,
      azpacr: "1",
      ver: "2.0",
      tid: publisher.tenantId,
      idtyp: "app",
    });
    expect(claims).not.toHaveProperty("appid");
  });
});
