import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../../src/demo-isv/http-client.js";
import type { PublisherApp } from "../../src/demo-isv/publisher-apps.js";
import { createTokenClient, TokenRequestError } from "../../src/demo-isv/token-client.js";
import { createWebhookTokenVerifier } from "../../src/demo-isv/webhook-token.js";
import { ManualClock } from "../support/server.js";
import { type Loopback, sendJson, startLoopback } from "./loopback.js";

const marketplace = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
const app: PublisherApp = {
  publisherId: "contoso",
  displayName: "Contoso",
  tenantId: "11111111-1111-1111-1111-111111111111",
  clientId: "aaaaaaaa-1111-1111-1111-111111111111",
  clientSecret: "s3cret",
};
const http = createHttpClient({
  timeoutMs: 5000,
  maxAnswerBytes: 64 * 1024,
  trustedCertificates: () => undefined,
});

describe("token client", () => {
  let authority: Loopback;
  let refuse = false;
  beforeAll(async () => {
    authority = await startLoopback((_request, _body, response) =>
      refuse
        ? sendJson(response, 401, {
            error: "invalid_client",
            error_description: "AADSTS7000215: Invalid client secret.",
          })
        : sendJson(response, 200, {
            token_type: "Bearer",
            expires_in: 3599,
            access_token: `token-${authority.requests.length}`,
          }),
    );
  });
  afterAll(async () => authority?.close());

  it("asks the v2 endpoint with client credentials and the marketplace scope, and reuses the token until near expiry", async () => {
    const clock = new ManualClock(new Date("2026-05-02T10:00:00Z"));
    const tokens = createTokenClient({ http, clock, baseUrl: () => authority.url });
    const [first, concurrent] = await Promise.all([tokens.tokenFor(app), tokens.tokenFor(app)]);
    expect(first).toBe(concurrent);
    expect(authority.requests).toHaveLength(1);
    const request = authority.requests[0];
    expect(request?.url).toBe(`/${app.tenantId}/oauth2/v2.0/token`);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: `${marketplace}/.default`,
    });
    clock.advance(50 * 60_000);
    expect(await tokens.tokenFor(app)).toBe(first);
    clock.advance(5 * 60_000);
    expect(await tokens.tokenFor(app)).not.toBe(first);
    expect(authority.requests).toHaveLength(2);
    tokens.forget(app);
    await tokens.tokenFor(app);
    expect(authority.requests).toHaveLength(3);
  });

  it("reports the endpoint's refusal, and an unreachable endpoint, without caching them", async () => {
    const tokens = createTokenClient({ http, clock: new ManualClock(), baseUrl: () => authority.url });
    refuse = true;
    const refused = await tokens.tokenFor(app).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TokenRequestError);
    expect((refused as TokenRequestError).status).toBe(401);
    expect((refused as TokenRequestError).message).toContain("Invalid client secret");
    refuse = false;
    expect(await tokens.tokenFor(app)).toMatch(/^token-/);
    const unreachable = createTokenClient({
      http,
      clock: new ManualClock(),
      baseUrl: () => "http://127.0.0.1:1",
    });
    const failure = (await unreachable.tokenFor(app).catch((error: unknown) => error)) as TokenRequestError;
    expect(failure.status).toBe(0);
  });
});

describe("webhook token verification against a tenant's discovery document", () => {
  let authority: Loopback;
  let discoveryUp = true;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  const now = new Date("2026-05-02T10:00:00Z");
  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", use: "sig", alg: "RS256" };
    authority = await startLoopback((request, _body, response) => {
      if (!discoveryUp) return sendJson(response, 503, {});
      if (request.url === `/${app.tenantId}/v2.0/.well-known/openid-configuration`)
        return sendJson(response, 200, { jwks_uri: `${authority.url}/${app.tenantId}/discovery/v2.0/keys` });
      if (request.url === `/${app.tenantId}/discovery/v2.0/keys`)
        return sendJson(response, 200, { keys: [jwk] });
      sendJson(response, 404, {});
    });
  });
  afterAll(async () => authority?.close());

  const sign = (claims: Record<string, unknown>, expiresAt = now.getTime() / 1000 + 3600) =>
    new SignJWT({ tid: app.tenantId, azp: marketplace, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setAudience(typeof claims.aud === "string" ? claims.aud : app.clientId)
      .setIssuedAt(now.getTime() / 1000 - 60)
      .setExpirationTime(expiresAt)
      .sign(privateKey);

  it.each([
    ["a token the marketplace would send", {}, undefined, "valid"],
    ["an expired token (no clock skew)", {}, now.getTime() / 1000 - 1, "invalid"],
    ["a token for another app", { aud: marketplace }, undefined, "invalid"],
    ["a token for another tenant", { tid: "22222222-2222-2222-2222-222222222222" }, undefined, "invalid"],
    ["a token the publisher's own app obtained", { azp: app.clientId }, undefined, "invalid"],
  ])("%s is %s", async (_name, claims, expiresAt, outcome) => {
    const verifier = createWebhookTokenVerifier({
      http,
      clock: new ManualClock(now),
      baseUrl: () => authority.url,
    });
    const check = await verifier.verify(`Bearer ${await sign(claims, expiresAt)}`, app);
    expect(check.outcome).toBe(outcome);
  });

  it("says the keys are unavailable (not that the token is bad) when discovery fails", async () => {
    const verifier = createWebhookTokenVerifier({
      http,
      clock: new ManualClock(now),
      baseUrl: () => authority.url,
    });
    discoveryUp = false;
    try {
      expect((await verifier.verify(`Bearer ${await sign({})}`, app)).outcome).toBe("unavailable");
    } finally {
      discoveryUp = true;
    }
    expect((await verifier.verify(`Bearer ${await sign({})}`, app)).outcome).toBe("valid");
  });
});
