import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, X509Certificate } from "node:crypto";
import { type JWTPayload, SignJWT } from "jose";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Settings } from "../../src/config/settings.js";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  decodeToken,
  insertPublisher,
  marketplaceResource,
  postForm,
  type TestPublisher,
} from "./identity-support.js";

const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

interface ClientCertificate {
  privateKey: ReturnType<typeof createPrivateKey>;
  pem: string;
  x5t: string;
  x5tS256: string;
}

async function clientCertificate(): Promise<ClientCertificate> {
  const pems = await generate([{ name: "commonName", value: "publisher app" }], {
    keySize: 2048,
    algorithm: "sha256",
  });
  const der = new X509Certificate(pems.cert).raw;
  return {
    privateKey: createPrivateKey(pems.private),
    pem: pems.cert,
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
  };
}

describe.each(databaseKinds)("client assertions (private_key_jwt) on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;
  let certificate: ClientCertificate;
  let tokenUrl: string;

  const operator = (path: string, init: RequestInit = {}) =>
    server.fetch(path, {
      ...init,
      headers: {
        authorization: `Bearer ${server.operatorKey}`,
        "content-type": "application/json",
        ...init.headers,
      },
    });

  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    publisher = await insertPublisher(server.handle.database.db);
    certificate = await clientCertificate();
    const registered = await operator(`/operator/v1/publishers/${publisher.id}/certificates`, {
      method: "POST",
      body: JSON.stringify({ pem: certificate.pem }),
    });
    expect(registered.status).toBe(201);
    tokenUrl = `${server.url}/${publisher.tenantId}/oauth2/v2.0/token`;
  });
  afterAll(async () => server?.stop());

  async function assertion(
    options: {
      claims?: JWTPayload;
      header?: Record<string, unknown>;
      key?: ClientCertificate["privateKey"];
      alg?: "RS256" | "PS256";
    } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      aud: tokenUrl,
      iss: publisher.appId,
      sub: publisher.appId,
      jti: randomUUID(),
      nbf: now,
      exp: now + 600,
      ...options.claims,
    })
      .setProtectedHeader({
        alg: options.alg ?? "RS256",
        typ: "JWT",
        x5t: certificate.x5t,
        ...options.header,
      })
      .sign(options.key ?? certificate.privateKey);
  }

  const requestToken = async (
    clientAssertion: string,
    form: Record<string, string> = {},
    path = "/oauth2/v2.0/token",
  ) =>
    postForm(server, `/${publisher.tenantId}${path}`, {
      grant_type: "client_credentials",
      client_id: publisher.appId,
      client_assertion_type: jwtBearer,
      client_assertion: clientAssertion,
      scope: `${marketplaceResource}/.default`,
      ...form,
    });

  it("issues a token for an assertion signed with the registered certificate (appidacr 2)", async () => {
    const answer = await requestToken(await assertion());
    expect(answer.status).toBe(200);
    const { claims } = decodeToken(String(answer.json.access_token));
    expect(claims).toMatchObject({ appid: publisher.appId, appidacr: "2", tid: publisher.tenantId });
  });

  it("accepts PS256 with an x5t#S256 header, as newer MSAL sends", async () => {
    const signed = await assertion({
      alg: "PS256",
      header: { x5t: undefined, "x5t#S256": certificate.x5tS256 },
    });
    expect((await requestToken(signed)).status).toBe(200);
  });

  it("accepts the v1 endpoint URL as audience, and assertions on the v1 endpoint", async () => {
    const v1Url = `${server.url}/${publisher.tenantId}/oauth2/token`;
    const answer = await requestToken(
      await assertion({ claims: { aud: v1Url } }),
      { scope: "", resource: marketplaceResource },
      "/oauth2/token",
    );
    expect(answer.status).toBe(200);
    expect(answer.json.resource).toBe(marketplaceResource);
  });

  it("accepts an assertion without a thumbprint by trying the registered keys in turn", async () => {
    const signed = await assertion({ header: { x5t: undefined } });
    expect((await requestToken(signed)).status).toBe(200);
  });

  it("rejects a signature by another key under the registered thumbprint with AADSTS700027", async () => {
    const { privateKey: otherKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const answer = await requestToken(await assertion({ key: otherKey }));
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [700027] });
    expect(String(answer.json.error_description)).toContain(
      "Key was found, but use of the key to verify the signature failed.",
    );
  });

  it("rejects an unregistered certificate with AADSTS700027, naming its thumbprint", async () => {
    const stranger = await clientCertificate();
    const answer = await requestToken(
      await assertion({ key: stranger.privateKey, header: { x5t: stranger.x5t } }),
    );
    expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [700027] });
    const thumbprint = Buffer.from(stranger.x5t, "base64url").toString("hex").toUpperCase();
    expect(String(answer.json.error_description)).toContain(
      `The key was not found., Thumbprint of key used by client: '${thumbprint}'`,
    );
  });

  it("rejects an expired assertion with AADSTS700024", async () => {
    const now = Math.floor(Date.now() / 1000);
    const answer = await requestToken(await assertion({ claims: { nbf: now - 1200, exp: now - 600 } }));
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [700024] });
    expect(String(answer.json.error_description)).toMatch(
      /Client assertion is not within its valid time range\. Current time: \S+Z, assertion valid from \S+Z, expiry time of assertion \S+Z\./,
    );
  });

  it("rejects an assertion that is not valid yet with AADSTS700024", async () => {
    const now = Math.floor(Date.now() / 1000);
    const answer = await requestToken(await assertion({ claims: { nbf: now + 600, exp: now + 1200 } }));
    expect(answer.json).toMatchObject({ error_codes: [700024] });
  });

  it("tolerates a small clock difference", async () => {
    const now = Math.floor(Date.now() / 1000);
    const answer = await requestToken(await assertion({ claims: { nbf: now + 30, exp: now + 600 } }));
    expect(answer.status).toBe(200);
  });

  it("rejects an assertion addressed to another token endpoint", async () => {
    const answer = await requestToken(
      await assertion({
        claims: { aud: `https://login.microsoftonline.com/${publisher.tenantId}/oauth2/v2.0/token` },
      }),
    );
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [50027] });
    expect(String(answer.json.error_description)).toContain("is not this token endpoint");
  });

  it("rejects an assertion issued for another client with AADSTS700021", async () => {
    const other = randomUUID();
    const answer = await requestToken(await assertion({ claims: { iss: other, sub: other } }));
    expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [700021] });
  });

  it("rejects an assertion that is not a JWT", async () => {
    const answer = await requestToken("not-a-jwt");
    expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [50027] });
  });

  it("rejects an unknown client_assertion_type", async () => {
    const answer = await requestToken(await assertion(), { client_assertion_type: "urn:example:saml" });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: "invalid_request", error_codes: [90014] });
  });

  it("verifies against a registered bare public key", async () => {
    const keyHolder = await insertPublisher(server.handle.database.db);
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const registered = await operator(`/operator/v1/publishers/${keyHolder.id}/certificates`, {
      method: "POST",
      body: JSON.stringify({ pem: publicKey.export({ type: "spki", format: "pem" }) }),
    });
    expect(registered.status).toBe(201);
    expect(await registered.json()).toMatchObject({ kind: "publicKey", x5t: null, x5tS256: null });
    const now = Math.floor(Date.now() / 1000);
    const signed = await new SignJWT({
      aud: `${server.url}/${keyHolder.tenantId}/oauth2/v2.0/token`,
      iss: keyHolder.appId,
      sub: keyHolder.appId,
      nbf: now,
      exp: now + 600,
    })
      .setProtectedHeader({ alg: "RS256", x5t: "c29tZS1vdGhlci10aHVtYnByaW50" })
      .sign(privateKey);
    const answer = await postForm(server, `/${keyHolder.tenantId}/oauth2/v2.0/token`, {
      grant_type: "client_credentials",
      client_id: keyHolder.appId,
      client_assertion_type: jwtBearer,
      client_assertion: signed,
      scope: `${marketplaceResource}/.default`,
    });
    expect(answer.status).toBe(200);
  });

  it("stops accepting a certificate once it is revoked", async () => {
    const holder = await insertPublisher(server.handle.database.db);
    const revokedCertificate = await clientCertificate();
    const created = await operator(`/operator/v1/publishers/${holder.id}/certificates`, {
      method: "POST",
      body: JSON.stringify({ pem: revokedCertificate.pem }),
    });
    const { certificateId } = (await created.json()) as { certificateId: string };
    const revoke = await operator(`/operator/v1/publishers/${holder.id}/certificates/${certificateId}`, {
      method: "DELETE",
    });
    expect(revoke.status).toBe(204);
    const now = Math.floor(Date.now() / 1000);
    const signed = await new SignJWT({
      aud: `${server.url}/${holder.tenantId}/oauth2/v2.0/token`,
      iss: holder.appId,
      sub: holder.appId,
      exp: now + 600,
    })
      .setProtectedHeader({ alg: "RS256", x5t: revokedCertificate.x5t })
      .sign(revokedCertificate.privateKey);
    const answer = await postForm(server, `/${holder.tenantId}/oauth2/v2.0/token`, {
      grant_type: "client_credentials",
      client_id: holder.appId,
      client_assertion_type: jwtBearer,
      client_assertion: signed,
      scope: `${marketplaceResource}/.default`,
    });
    expect(answer.json).toMatchObject({ error_codes: [700027] });
  });
});

describe("client assertion audiences behind a reverse proxy", () => {
  const proxied = { "x-forwarded-proto": "https", "x-forwarded-host": "market.example.com" };

  /** A server (trusting its loopback peer as a proxy, or not) with one publisher and its certificate. */
  async function serverWithCertificate(trustProxy: Settings["trustProxy"]) {
    const server = await startTestServer({ database: "sqlite", settings: { trustProxy } });
    const publisher = await insertPublisher(server.handle.database.db);
    const certificate = await clientCertificate();
    const registered = await server.fetch(`/operator/v1/publishers/${publisher.id}/certificates`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({ pem: certificate.pem }),
    });
    expect(registered.status).toBe(201);
    const requestToken = async (aud: string) => {
      const now = Math.floor(Date.now() / 1000);
      const signed = await new SignJWT({
        aud,
        iss: publisher.appId,
        sub: publisher.appId,
        jti: randomUUID(),
        nbf: now,
        exp: now + 600,
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", x5t: certificate.x5t })
        .sign(certificate.privateKey);
      return postForm(
        server,
        `/${publisher.tenantId}/oauth2/v2.0/token`,
        {
          grant_type: "client_credentials",
          client_id: publisher.appId,
          client_assertion_type: jwtBearer,
          client_assertion: signed,
          scope: `${marketplaceResource}/.default`,
        },
        proxied,
      );
    };
    return { server, publisher, requestToken };
  }

  it("accepts the token endpoint URL its clients reach through a trusted proxy as the assertion audience", async () => {
    const { server, publisher, requestToken } = await serverWithCertificate(["loopback"]);
    try {
      const answer = await requestToken(`https://market.example.com/${publisher.tenantId}/oauth2/v2.0/token`);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      // The configured base URL stays an audience too.
      expect((await requestToken(`${server.url}/${publisher.tenantId}/oauth2/v2.0/token`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("ignores forwarded host names from a peer that is not a trusted proxy", async () => {
    const { server, publisher, requestToken } = await serverWithCertificate(false);
    try {
      const answer = await requestToken(`https://market.example.com/${publisher.tenantId}/oauth2/v2.0/token`);
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ error: "invalid_client", error_codes: [50027] });
      expect((await requestToken(`${server.url}/${publisher.tenantId}/oauth2/v2.0/token`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
