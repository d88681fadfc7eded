import { generateKeyPairSync, randomUUID } from "node:crypto";
import { importPKCS8, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { apiVersion, marketplaceResource, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** Every /api route, with what it needs to be called on a real subscription of contoso. */
interface RouteCase {
  name: string;
  method: string;
  path(ids: { subscriptionId: string; operationId: string }): string;
  headers?(ids: { token: string }): Record<string, string>;
  body?: unknown;
}

const routes: RouteCase[] = [
  {
    name: "resolve",
    method: "POST",
    path: () => "/api/saas/subscriptions/resolve",
    headers: ({ token }) => ({ "x-ms-marketplace-token": token }),
  },
  {
    name: "activate",
    method: "POST",
    path: ({ subscriptionId }) => `/api/saas/subscriptions/${subscriptionId}/activate`,
  },
  { name: "list subscriptions", method: "GET", path: () => "/api/saas/subscriptions" },
  {
    name: "get subscription",
    method: "GET",
    path: ({ subscriptionId }) => `/api/saas/subscriptions/${subscriptionId}`,
  },
  {
    name: "list available plans",
    method: "GET",
    path: ({ subscriptionId }) => `/api/saas/subscriptions/${subscriptionId}/listAvailablePlans`,
  },
  {
    name: "change plan",
    method: "PATCH",
    path: ({ subscriptionId }) => `/api/saas/subscriptions/${subscriptionId}`,
    body: { planId: "pro" },
  },
  {
    name: "delete",
    method: "DELETE",
    path: ({ subscriptionId }) => `/api/saas/subscriptions/${subscriptionId}`,
  },
  {
    name: "list operations",
    method: "GET",
    path: ({ subscriptionId }) => `/api/saas/subscriptions/${subscriptionId}/operations`,
  },
  {
    name: "get operation",
    method: "GET",
    path: ({ subscriptionId, operationId }) =>
      `/api/saas/subscriptions/${subscriptionId}/operations/${operationId}`,
  },
  {
    name: "update operation",
    method: "PATCH",
    path: ({ subscriptionId, operationId }) =>
      `/api/saas/subscriptions/${subscriptionId}/operations/${operationId}`,
    body: { status: "Success" },
  },
];

type TokenKind =
  | "missing"
  | "malformed"
  | "expired"
  | "not yet valid"
  | "wrong audience"
  | "forged signature"
  | "wrong scheme";
const rejectedKinds: TokenKind[] = [
  "missing",
  "malformed",
  "expired",
  "not yet valid",
  "wrong audience",
  "forged signature",
  "wrong scheme",
];

describe.each(databaseKinds)("/api security on %s", (kind) => {
  let server: TestServer;
  let ids: { subscriptionId: string; operationId: string; token: string };
  let contosoToken: string;
  const tokens = new Map<TokenKind, string | undefined>();

  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
    contosoToken = await publisherToken(server, "contoso");
    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    ids = { subscriptionId: bought.subscriptionId, operationId: randomUUID(), token: bought.token };

    const key = await server.handle.database.db
      .selectFrom("signing_keys")
      .selectAll()
      .where("retired_at", "is", null)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    const serverKey = await importPKCS8(key.private_key_pem, "RS256");
    const { privateKey: foreignKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const claims = (overrides: Record<string, unknown>) => ({
      aud: marketplaceResource,
      iss: `https://sts.windows.net/${fixture.contoso.tenantId}/`,
      tid: fixture.contoso.tenantId,
      appid: fixture.contoso.appId,
      oid: randomUUID(),
      sub: randomUUID(),
      ver: "1.0",
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      ...overrides,
    });
    const sign = (payload: Record<string, unknown>, signingKey: Parameters<SignJWT["sign"]>[0]) =>
      new SignJWT(payload).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid }).sign(signingKey);

    tokens.set("missing", undefined);
    tokens.set("malformed", "Bearer this.is-not-a.jwt");
    tokens.set(
      "expired",
      `Bearer ${await sign(claims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }), serverKey)}`,
    );
    tokens.set(
      "not yet valid",
      `Bearer ${await sign(claims({ nbf: now + 3600, exp: now + 7200 }), serverKey)}`,
    );
    tokens.set("wrong audience", `Bearer ${await sign(claims({ aud: "api://someone-else" }), serverKey)}`);
    tokens.set("forged signature", `Bearer ${await sign(claims({}), foreignKey)}`);
    tokens.set(
      "wrong scheme",
      `Basic ${Buffer.from(`${fixture.contoso.appId}:${fixture.contoso.secret}`).toString("base64")}`,
    );
  });
  afterAll(async () => server?.stop());

  const call = (route: RouteCase, authorization: string | undefined) =>
    server.fetch(`${route.path(ids)}?${apiVersion}`, {
      method: route.method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(route.headers?.(ids) ?? {}),
        ...(route.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
    });

  describe.each(routes)("$name", (route) => {
    it.each(rejectedKinds)(
      "answers a %s token with 401 and the marketplace's error body",
      async (tokenKind) => {
        const response = await call(route, tokens.get(tokenKind));
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe("Bearer");
        const body = (await response.json()) as { code: string; message: string };
        expect(body.code).toBe("Unauthorized");
        expect(body.message).toContain("The authorization token is invalid, expired, missing");
        expect(response.headers.get("x-ms-requestid")).toBeTruthy();
      },
    );

    it("never shows contoso's subscription to fabrikam", async () => {
      const response = await call(route, `Bearer ${await publisherToken(server, "fabrikam")}`);
      if (route.name === "list subscriptions") {
        expect(response.status).toBe(200);
        const body = (await response.json()) as { subscriptions: { id: string }[] };
        expect(body.subscriptions.map((subscription) => subscription.id)).not.toContain(ids.subscriptionId);
      } else {
        expect(response.status).toBe(403);
        expect(((await response.json()) as { code: string }).code).toBe("Forbidden");
      }
    });
  });

  it("lets the owner through on every route (no 401/403 for a valid token)", async () => {
    for (const route of routes) {
      const response = await call(route, `Bearer ${contosoToken}`);
      expect([401, 403], `${route.name} answered ${response.status}`).not.toContain(response.status);
    }
  });
});
