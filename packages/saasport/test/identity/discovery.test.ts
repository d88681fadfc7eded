import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  accessToken,
  decodeToken,
  insertPublisher,
  marketplaceResource,
  type TestPublisher,
} from "./identity-support.js";

interface Jwks {
  keys: Array<Record<string, unknown>>;
}

describe.each(databaseKinds)("JWKS and OpenID Connect discovery on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;
  const getJson = async (path: string) => {
    const response = await server.fetch(path);
    return {
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    publisher = await insertPublisher(server.handle.database.db);
  });
  afterAll(async () => server?.stop());

  it("publishes the v2 document MSAL reads, with Saasport as the authority", async () => {
    const { status, json } = await getJson(`/${publisher.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(status).toBe(200);
    const authority = `${server.url}/${publisher.tenantId}`;
    expect(json).toMatchObject({
      issuer: `${authority}/v2.0`,
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      id_token_signing_alg_values_supported: ["RS256"],
      subject_types_supported: ["pairwise"],
      tenant_region_scope: expect.any(String),
      cloud_instance_name: "microsoftonline.com",
    });
    expect(json.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(["client_secret_post", "private_key_jwt", "client_secret_basic"]),
    );
    expect(json.response_types_supported).toEqual(expect.arrayContaining(["code", "id_token"]));
    expect(json.scopes_supported).toEqual(expect.arrayContaining(["openid"]));
  });

  it("publishes the v1-path document with the sts.windows.net issuer and the same keys", async () => {
    const { json } = await getJson(`/${publisher.tenantId}/.well-known/openid-configuration`);
    expect(json).toMatchObject({
      issuer: `https://sts.windows.net/${publisher.tenantId}/`,
      token_endpoint: `${server.url}/${publisher.tenantId}/oauth2/token`,
      jwks_uri: `${server.url}/${publisher.tenantId}/discovery/keys`,
      authorization_endpoint: `${server.url}/${publisher.tenantId}/oauth2/authorize`,
    });
    expect(json.token_endpoint_auth_methods_supported).toContain("private_key_jwt");
    const v1Keys = (await getJson(`/${publisher.tenantId}/discovery/keys`)).json as unknown as Jwks;
    const v2Keys = (await getJson(`/${publisher.tenantId}/discovery/v2.0/keys`)).json as unknown as Jwks;
    expect(v1Keys.keys.map((key) => key.kid)).toEqual(v2Keys.keys.map((key) => key.kid));
  });

  it("serves the common authority with Entra's {tenantid} placeholder", async () => {
    const v2 = await getJson("/common/v2.0/.well-known/openid-configuration");
    expect(v2.json.issuer).toBe(`${server.url}/{tenantid}/v2.0`);
    expect(v2.json.token_endpoint).toBe(`${server.url}/common/oauth2/v2.0/token`);
    const v1 = await getJson("/common/.well-known/openid-configuration");
    expect(v1.json.issuer).toBe("https://sts.windows.net/{tenantid}/");
    expect(((await getJson("/common/discovery/keys")).json as unknown as Jwks).keys.length).toBeGreaterThan(
      0,
    );
  });

  it("answers an unusable tenant like Entra (400 invalid_tenant, AADSTS90002)", async () => {
    const { status, json } = await getJson("/not-a-tenant/v2.0/.well-known/openid-configuration");
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });

  it("publishes RSA signing keys shaped like Entra's, with x5c and, on v2, the issuer", async () => {
    const v1 = (await getJson(`/${publisher.tenantId}/discovery/keys`)).json as unknown as Jwks;
    expect(v1.keys.length).toBeGreaterThan(0);
    for (const key of v1.keys) {
      expect(key).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256", e: "AQAB" });
      expect(key.kid).toBe(key.x5t);
      expect(key.n).toEqual(expect.any(String));
      expect(key.x5c).toEqual([expect.any(String)]);
      expect(key).not.toHaveProperty("d");
    }
    const v2 = (await getJson(`/${publisher.tenantId}/discovery/v2.0/keys`)).json as unknown as Jwks;
    for (const key of v2.keys) expect(key.issuer).toBe(`${server.url}/${publisher.tenantId}/v2.0`);
  });

  it("signs access tokens with a published key: a standard JWKS client verifies them", async () => {
    const token = await accessToken(server, publisher);
    const { header } = decodeToken(token);
    const discovery = (await getJson(`/${publisher.tenantId}/v2.0/.well-known/openid-configuration`)).json;
    const keys = createRemoteJWKSet(new URL(String(discovery.jwks_uri)));
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      audience: marketplaceResource,
      issuer: `https://sts.windows.net/${publisher.tenantId}/`,
    });
    expect(protectedHeader.kid).toBe(header.kid);
    expect(payload.tid).toBe(publisher.tenantId);
  });
});
