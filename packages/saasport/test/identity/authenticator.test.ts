import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, importPKCS8, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import type { Settings } from "../../src/config/settings.js";
import { createPublisherAuthenticator } from "../../src/identity/authenticator.js";
import { logNoAuthWarning } from "../../src/identity/no-auth.js";
import type { PublisherAuthenticator } from "../../src/identity/principal.js";
import { createPublishedKeyStore } from "../../src/identity/published-keys.js";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  accessToken,
  fakeRequest,
  insertPublisher,
  marketplaceResource,
  postForm,
  type TestPublisher,
  v1TokenForm,
} from "./identity-support.js";

type SigningKey = Parameters<SignJWT["sign"]>[0];

describe.each(databaseKinds)("publisher authenticator on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;
  let other: TestPublisher;
  let authenticator: PublisherAuthenticator;
  let serverKey: SigningKey;
  let serverKid: string;

  const authenticatorWith = (
    settings: Partial<Settings>,
    extra: Partial<Parameters<typeof createPublisherAuthenticator>[0]> = {},
  ) =>
    createPublisherAuthenticator({
      db: server.handle.database.db,
      settings: { ...server.handle.settings, ...settings },
      clock: systemClock,
      baseUrl: () => server.url,
      ...extra,
    });

  /** A token signed with Saasport's own active key; claims default to a valid v1 token of `publisher`. */
  const forge = (overrides: JWTPayload = {}, key: SigningKey = serverKey, kid = serverKid) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      aud: marketplaceResource,
      iss: `https://sts.windows.net/${publisher.tenantId}/`,
      tid: publisher.tenantId,
      appid: publisher.appId,
      oid: randomUUID(),
      sub: randomUUID(),
      ver: "1.0",
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      ...overrides,
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid })
      .sign(key);
  };

  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    publisher = await insertPublisher(server.handle.database.db);
    other = await insertPublisher(server.handle.database.db);
    authenticator = authenticatorWith({});
    const row = await server.handle.database.db
      .selectFrom("signing_keys")
      .selectAll()
      .where("retired_at", "is", null)
      .executeTakeFirstOrThrow();
    serverKey = await importPKCS8(row.private_key_pem, "RS256");
    serverKid = row.kid;
  });
  afterAll(async () => server?.stop());

  describe("verification matrix", () => {
    const now = () => Math.floor(Date.now() / 1000);
    const rejected: Array<[string, () => Promise<string | undefined>]> = [
      ["missing", async () => undefined],
      ["not a bearer token", async () => `Basic ${Buffer.from("a:b").toString("base64")}`],
      ["malformed", async () => "Bearer this.is-not-a.jwt"],
      [
        "expired",
        async () => `Bearer ${await forge({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })}`,
      ],
      ["not yet valid", async () => `Bearer ${await forge({ nbf: now() + 3600, exp: now() + 7200 })}`],
      ["for another audience", async () => `Bearer ${await forge({ aud: "api://someone-else" })}`],
      [
        "forged (same kid, another key)",
        async () =>
          `Bearer ${await forge({}, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey)}`,
      ],
      ["of an unknown key", async () => `Bearer ${await forge({}, serverKey, "no-such-kid")}`],
      [
        "whose issuer names another tenant",
        async () => `Bearer ${await forge({ iss: `https://sts.windows.net/${randomUUID()}/` })}`,
      ],
      ["without tid", async () => `Bearer ${await forge({ tid: undefined })}`],
      ["without appid or azp", async () => `Bearer ${await forge({ appid: undefined })}`],
      [
        "signed with HS256",
        async () =>
          `Bearer ${await new SignJWT({ tid: publisher.tenantId }).setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(32))}`,
      ],
    ];

    it.each(rejected)("rejects a token that is %s with 401 Unauthorized", async (_name, make) => {
      const error = await authenticator
        .authenticate(fakeRequest(await make()))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "Unauthorized", status: 401 });
    });

    it("tolerates 60 seconds of clock skew", async () => {
      const token = await forge({ iat: now() - 3630, nbf: now() - 3630, exp: now() - 30 });
      expect(await authenticator.authenticate(fakeRequest(`Bearer ${token}`))).toMatchObject({
        publisherId: publisher.id,
      });
    });

    it("answers a valid token of an app that is no publisher with 403 Forbidden", async () => {
      const token = await forge({ appid: randomUUID() });
      const error = await authenticator
        .authenticate(fakeRequest(`Bearer ${token}`))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "Forbidden", status: 403 });
    });

    it("maps a valid token from the token endpoint to its publisher", async () => {
      const token = await accessToken(server, publisher);
      expect(await authenticator.authenticate(fakeRequest(`Bearer ${token}`))).toEqual({
        publisherId: publisher.id,
        tenantId: publisher.tenantId,
        appId: publisher.appId,
      });
    });

    it("accepts v2 tokens (azp), the api:// audience and upper-case ids", async () => {
      const v2 = await forge({
        ver: "2.0",
        appid: undefined,
        azp: publisher.appId.toUpperCase(),
        iss: `${server.url}/${publisher.tenantId}/v2.0`,
        aud: `api://${marketplaceResource}`,
      });
      expect(await authenticator.authenticate(fakeRequest(`Bearer ${v2}`))).toMatchObject({
        publisherId: publisher.id,
      });
      const entraIssuer = await forge({
        ver: "2.0",
        appid: undefined,
        azp: publisher.appId,
        iss: `https://login.microsoftonline.com/${publisher.tenantId}/v2.0`,
      });
      expect(await authenticator.authenticate(fakeRequest(`Bearer ${entraIssuer}`))).toMatchObject({
        publisherId: publisher.id,
      });
    });

    it("uses fidelity.authFailureStatus for invalid tokens, and 403 stays 403", async () => {
      const strict = authenticatorWith({
        fidelity: { ...server.handle.settings.fidelity, authFailureStatus: 403 },
      });
      await expect(strict.authenticate(fakeRequest())).rejects.toMatchObject({
        code: "Unauthorized",
        status: 403,
      });
    });

    it("verifies each token once and then serves it from the cache", async () => {
      const keys = createPublishedKeyStore({ db: server.handle.database.db, clock: systemClock });
      const find = vi.spyOn(keys, "find");
      const cached = authenticatorWith({}, { keys });
      const token = `Bearer ${await accessToken(server, publisher)}`;
      for (let call = 0; call < 5; call += 1) {
        expect(await cached.authenticate(fakeRequest(token))).toMatchObject({ publisherId: publisher.id });
      }
      expect(find).toHaveBeenCalledTimes(1);
    });
  });

  describe("tokens of a trusted remote issuer (trustedJwksUri)", () => {
    let jwksServer: Server;
    let jwksUri: string;
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

    beforeAll(async () => {
      const jwk = { ...(await exportJWK(publicKey)), kid: "entra-key", use: "sig", alg: "RS256" };
      jwksServer = createServer((_request, response) => {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
      jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/common/discovery/v2.0/keys`;
    });
    afterAll(async () => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

    const entraToken = () =>
      forge(
        {
          ver: "2.0",
          appid: undefined,
          azp: publisher.appId,
          iss: `https://login.microsoftonline.com/${publisher.tenantId}/v2.0`,
        },
        privateKey,
        "entra-key",
      );

    it("accepts them when the remote JWKS is configured", async () => {
      const trusting = authenticatorWith({ trustedJwksUri: jwksUri });
      expect(await trusting.authenticate(fakeRequest(`Bearer ${await entraToken()}`))).toMatchObject({
        publisherId: publisher.id,
      });
    });

    it("rejects them otherwise", async () => {
      await expect(
        authenticator.authenticate(fakeRequest(`Bearer ${await entraToken()}`)),
      ).rejects.toMatchObject({
        code: "Unauthorized",
      });
    });
  });

  describe("no-auth development mode", () => {
    const noAuth = () => authenticatorWith({ noAuth: true });

    it("takes the publisher from ?publisherId= or the x-saasport-publisher-id header", async () => {
      expect(
        await noAuth().authenticate(fakeRequest(undefined, { query: { publisherId: other.id } })),
      ).toMatchObject({
        publisherId: other.id,
        tenantId: other.tenantId,
      });
      const byHeader = fakeRequest(undefined, { headers: { "x-saasport-publisher-id": publisher.id } });
      expect(await noAuth().authenticate(byHeader)).toMatchObject({ publisherId: publisher.id });
    });

    it("lets a valid token win over the query parameter", async () => {
      const token = await accessToken(server, publisher);
      const request = fakeRequest(`Bearer ${token}`, { query: { publisherId: other.id } });
      expect(await noAuth().authenticate(request)).toMatchObject({ publisherId: publisher.id });
    });

    it("falls back to the parameter when the token is invalid", async () => {
      const request = fakeRequest("Bearer garbage", { query: { publisherId: other.id } });
      expect(await noAuth().authenticate(request)).toMatchObject({ publisherId: other.id });
    });

    it("refuses when it cannot tell which publisher is meant", async () => {
      await expect(noAuth().authenticate(fakeRequest())).rejects.toMatchObject({
        code: "Unauthorized",
        message: expect.stringContaining("?publisherId="),
      });
      await expect(
        noAuth().authenticate(fakeRequest(undefined, { query: { publisherId: "nobody" } })),
      ).rejects.toMatchObject({
        code: "Unauthorized",
        message: expect.stringContaining("'nobody'"),
      });
    });

    it("logs a loud warning on start only in that mode", () => {
      const warn = vi.fn();
      logNoAuthWarning({ noAuth: false }, { warn });
      expect(warn).not.toHaveBeenCalled();
      logNoAuthWarning({ noAuth: true }, { warn });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("NO-AUTH MODE"));
    });
  });
});

describe.each(databaseKinds)("no-auth mode with a single publisher on %s", (kind) => {
  let server: TestServer;
  let only: TestPublisher;
  beforeAll(async () => {
    server = await startTestServer({ database: kind, settings: { noAuth: true } });
    only = await insertPublisher(server.handle.database.db);
  });
  afterAll(async () => server?.stop());

  it("acts as the only publisher there is, on /api too", async () => {
    const authenticator = createPublisherAuthenticator({
      db: server.handle.database.db,
      settings: server.handle.settings,
      clock: systemClock,
      baseUrl: () => server.url,
    });
    expect(await authenticator.authenticate(fakeRequest())).toMatchObject({ publisherId: only.id });
    const listed = await server.fetch("/api/saas/subscriptions?api-version=2018-08-31");
    expect(listed.status).toBe(200);
    const named = await server.fetch(`/api/saas/subscriptions?api-version=2018-08-31&publisherId=${only.id}`);
    expect(named.status).toBe(200);
    // The token service itself still authenticates its clients.
    const answer = await postForm(
      server,
      `/${only.tenantId}/oauth2/token`,
      v1TokenForm(only, { client_secret: "wrong" }),
    );
    expect(answer.status).toBe(401);
  });
});
