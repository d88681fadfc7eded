import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Settings } from "../../src/config/settings.js";
import { fastifyTrustProxy } from "../../src/http/server.js";
import { hiddenValue, visitor } from "../console/http-client.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

const limit = 2;

/** The client address a proxy would report, and what a client could forge itself. */
const clientA = "203.0.113.10";
const clientB = "203.0.113.20";

/**
 * A server on SQLite (this is HTTP plumbing, not storage) whose tests reach it from 127.0.0.1, so with
 * the setting on the test plays the reverse proxy in front of it.
 */
async function serverTrusting(trustProxy: Settings["trustProxy"], settings: Partial<Settings> = {}) {
  return startTestServer({
    database: "sqlite",
    seed: seedFixtureCatalog,
    settings: { trustProxy, authFailures: { limit, windowSeconds: 60 }, ...settings },
  });
}

/** A console visitor whose every request carries the given forwarding headers. */
async function signInForm(server: TestServer, forwarded: Record<string, string>) {
  const browser = visitor({
    ...server,
    fetch: (path, init) =>
      server.fetch(path, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...forwarded },
      }),
  });
  const page = await browser.get("/console/sign-in");
  const csrf = hiddenValue(page.text, "csrf");
  return {
    page,
    operator: (operatorKey: string) => browser.post("/console/sign-in/operator", { csrf, operatorKey }),
  };
}

async function failSignIns(server: TestServer, forwardedFor: string) {
  const form = await signInForm(server, { "x-forwarded-for": forwardedFor });
  for (let attempt = 0; attempt < limit; attempt += 1) {
    expect((await form.operator(`wrong-${attempt}`)).status).toBe(401);
  }
}

async function signInStatus(server: TestServer, forwardedFor: string): Promise<number> {
  const form = await signInForm(server, { "x-forwarded-for": forwardedFor });
  return (await form.operator(server.operatorKey)).status;
}

/** Fabrikam's token requests (Contoso's client id stays unlocked for the Fulfillment API calls). */
function tokenRequest(server: TestServer, clientSecret: string, forwardedFor: string) {
  const { tenantId, appId } = fixture.fabrikam;
  return server.fetch(`/${tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: appId,
      client_secret: clientSecret,
      scope: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default",
    }),
  });
}

/** Absolute URLs the Fulfillment API builds: a PATCH's Operation-Location and a list's @nextLink. */
async function absoluteUrls(server: TestServer, forwarded: Record<string, string>) {
  const call = api(server, await publisherToken(server, "contoso"));
  const bought = [
    await purchase(server, { offerId: "analytics", planId: "basic" }),
    await purchase(server, { offerId: "analytics", planId: "basic" }),
  ];
  const first = bought[0]?.subscriptionId ?? "";
  expect((await call("POST", `/saas/subscriptions/${first}/activate`, { body: {} })).status).toBe(200);
  const patched = await call("PATCH", `/saas/subscriptions/${first}`, {
    body: { planId: "pro" },
    headers: forwarded,
  });
  expect(patched.status).toBe(202);
  const listed = await call("GET", "/saas/subscriptions", { headers: forwarded });
  expect(listed.status).toBe(200);
  return {
    operationLocation: patched.headers.get("operation-location") ?? "",
    nextLink: (listed.json["@nextLink"] as string | undefined) ?? "",
  };
}

const forgedOrigin = { "x-forwarded-proto": "https", "x-forwarded-host": "attacker.example" };

describe("SAASPORT_TRUST_PROXY off (the default): forwarding headers are ignored", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverTrusting(false, { pageSize: 1 });
  });
  afterAll(async () => server?.stop());

  // First: the failures below lock this test's one address out of the token endpoints.
  it("Operation-Location and @nextLink keep the server's own base URL", async () => {
    const urls = await absoluteUrls(server, forgedOrigin);
    expect(urls.operationLocation.startsWith(`${server.url}/api/saas/subscriptions/`)).toBe(true);
    expect(urls.nextLink.startsWith(`${server.url}/api/saas/subscriptions/`)).toBe(true);
  });

  it("a forged X-Forwarded-For does not change the address console sign-in failures count against", async () => {
    await failSignIns(server, clientA);
    expect(await signInStatus(server, clientB)).toBe(429);
    expect(await signInStatus(server, "198.51.100.7")).toBe(429);
  });

  it("a forged X-Forwarded-For does not change the address token endpoint failures count against", async () => {
    // The console's limiter above is separate from the token endpoints'.
    for (let attempt = 0; attempt < limit; attempt += 1) {
      expect((await tokenRequest(server, `wrong-${attempt}`, `198.51.100.${attempt}`)).status).toBe(401);
    }
    const refused = await tokenRequest(server, fixture.fabrikam.secret, "198.51.100.99");
    expect(refused.status).toBe(429);
  });

  it("X-Forwarded-Proto does not make the console's cookies Secure over plain HTTP", async () => {
    const form = await signInForm(server, { "x-forwarded-proto": "https" });
    const cookie = form.page.headers.getSetCookie().join("\n");
    expect(cookie).toContain("saasport_console_signin=");
    expect(cookie).not.toContain("Secure");
  });
});

describe.each([
  ["the proxy's address", ["127.0.0.1"]],
  ["a CIDR range and a named range", ["10.0.0.0/8", "loopback"]],
  ["one hop", 1],
] as const)("SAASPORT_TRUST_PROXY naming %s: the proxy's X-Forwarded-For is the client", (_name, trust) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverTrusting(typeof trust === "number" ? trust : [...trust], { pageSize: 1 });
  });
  afterAll(async () => server?.stop());

  it("counts console sign-in failures per forwarded client address", async () => {
    await failSignIns(server, clientA);
    expect(await signInStatus(server, clientA)).toBe(429);
    expect(await signInStatus(server, clientB)).toBe(303);
  });

  it("takes the address the proxy appended, not one the client put in front of it", async () => {
    // The client sends "X-Forwarded-For: clientB"; the proxy appends the address it saw (clientA).
    expect(await signInStatus(server, `${clientB}, ${clientA}`)).toBe(429);
  });

  it("counts token endpoint failures per forwarded client address", async () => {
    const address = "198.51.100.30";
    for (let attempt = 0; attempt < limit; attempt += 1) {
      expect((await tokenRequest(server, `wrong-${attempt}`, address)).status).toBe(401);
    }
    expect((await tokenRequest(server, fixture.fabrikam.secret, address)).status).toBe(429);
  });

  it("marks the console's cookies Secure when the proxy says the browser used HTTPS", async () => {
    const overHttps = await signInForm(server, { "x-forwarded-proto": "https" });
    expect(overHttps.page.headers.getSetCookie().join("\n")).toContain("Secure");
    const overHttp = await signInForm(server, { "x-forwarded-proto": "http" });
    expect(overHttp.page.headers.getSetCookie().join("\n")).not.toContain("Secure");
  });

  it("builds Operation-Location and @nextLink from the configured base URL, never from forwarded host names", async () => {
    const urls = await absoluteUrls(server, forgedOrigin);
    expect(urls.operationLocation.startsWith(`${server.url}/api/saas/subscriptions/`)).toBe(true);
    expect(urls.nextLink.startsWith(`${server.url}/api/saas/subscriptions/`)).toBe(true);
  });
});

describe("SAASPORT_TRUST_PROXY naming other addresses: this peer's forwarding headers are ignored", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverTrusting(["10.1.2.3", "192.168.0.0/16"]);
  });
  afterAll(async () => server?.stop());

  it("counts failures against the peer's own address", async () => {
    await failSignIns(server, clientA);
    expect(await signInStatus(server, clientB)).toBe(429);
  });
});

describe("the trust proxy option handed to Fastify", () => {
  it("is off by default and for false, and copies a list", () => {
    expect(fastifyTrustProxy(undefined)).toBe(false);
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(true)).toBe(true);
    expect(fastifyTrustProxy(["10.0.0.0/8"])).toEqual(["10.0.0.0/8"]);
  });

  it("trusts the nearest hops for a hop count", () => {
    const trust = fastifyTrustProxy(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust("192.0.2.1", hop))).toEqual([true, true, false]);
  });
});
