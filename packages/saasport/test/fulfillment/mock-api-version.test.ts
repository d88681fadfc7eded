import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadSettings } from "../../src/config/sources.js";
import { logMockApiVersionWarning } from "../../src/identity/no-auth.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

const mock = "api-version=2018-09-15";
const production = "api-version=2018-08-31";

async function json(response: Response) {
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

describe("the mock api-version setting", () => {
  it("is off unless SAASPORT_MOCK_API_VERSION turns it on", () => {
    expect(loadSettings({}).mockApiVersion).toBe(false);
    expect(loadSettings({ SAASPORT_MOCK_API_VERSION: "true" }).mockApiVersion).toBe(true);
    expect(() => loadSettings({ SAASPORT_MOCK_API_VERSION: "perhaps" })).toThrow(
      "SAASPORT_MOCK_API_VERSION must be true or false",
    );
  });

  it("logs a loud warning on start only when on", () => {
    const warn = vi.fn();
    logMockApiVersionWarning({ mockApiVersion: false }, { warn });
    expect(warn).not.toHaveBeenCalled();
    logMockApiVersionWarning({ mockApiVersion: true }, { warn });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("api-version=2018-09-15"));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("WITHOUT a bearer token"));
  });
});

describe.each(databaseKinds)("mock api-version 2018-09-15 switched off (the default) on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
  });
  afterAll(async () => server?.stop());

  it("is an unsupported version: 400 in the ASP.NET shape of spec §1.2, with or without a token", async () => {
    const expected = {
      Error: {
        Code: "UnsupportedApiVersion",
        Message:
          "The HTTP resource that matches the request URI '/api/saas/subscriptions' does not support the API version '2018-09-15'.",
      },
    };
    const anonymous = await server.fetch(`/api/saas/subscriptions?${mock}&publisherId=contoso`);
    expect(anonymous.status).toBe(400);
    expect(await json(anonymous)).toEqual(expected);
    const token = await publisherToken(server, "contoso");
    const withToken = await server.fetch(`/api/saas/subscriptions?${mock}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withToken.status).toBe(400);
    expect(await json(withToken)).toEqual(expected);
  });

  it("still answers 401 to a 2018-08-31 call without a bearer token", async () => {
    const response = await server.fetch(`/api/saas/subscriptions?${production}&publisherId=contoso`);
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ code: "Unauthorized" });
  });
});

describe.each(databaseKinds)("mock api-version 2018-09-15 switched on on %s", (kind) => {
  let server: TestServer;
  const subscriptionIds: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({
      database: kind,
      seed: seedFixtureCatalog,
      settings: { mockApiVersion: true, pageSize: 1 },
    });
    for (const name of ["first", "second"]) {
      const bought = await purchase(server, { offerId: "analytics", planId: "basic", name });
      subscriptionIds.push(bought.subscriptionId);
    }
  });
  afterAll(async () => server?.stop());

  it("serves a call without a token, for the publisher named as in no-auth mode, with links in its version", async () => {
    const listed = await server.fetch(`/api/saas/subscriptions?${mock}&publisherId=contoso`);
    expect(listed.status).toBe(200);
    const body = await json(listed);
    expect(body.subscriptions).toHaveLength(1);
    expect(subscriptionIds).toContain(body.subscriptions[0].id);
    const next = new URL(body["@nextLink"]);
    expect(next.searchParams.get("api-version")).toBe("2018-09-15");

    const byHeader = await server.fetch(`/api/saas/subscriptions/${subscriptionIds[0]}?${mock}`, {
      headers: { "x-saasport-publisher-id": "contoso" },
    });
    expect(byHeader.status).toBe(200);
    expect(await json(byHeader)).toMatchObject({ id: subscriptionIds[0], publisherId: "contoso" });

    // Another publisher named the same way is refused Contoso's subscription.
    const other = await server.fetch(
      `/api/saas/subscriptions/${subscriptionIds[0]}?${mock}&publisherId=fabrikam`,
    );
    expect(other.status).toBe(403);

    const unknown = await server.fetch(`/api/saas/subscriptions?${mock}&publisherId=nobody`);
    expect(unknown.status).toBe(401);
    expect(await json(unknown)).toMatchObject({ message: expect.stringContaining("'nobody'") });
  });

  it("answers a change with an Operation-Location in the version the client used", async () => {
    const headers = { "x-saasport-publisher-id": "contoso", "content-type": "application/json" };
    const activated = await server.fetch(`/api/saas/subscriptions/${subscriptionIds[0]}/activate?${mock}`, {
      method: "POST",
      headers,
      body: "{}",
    });
    expect(activated.status).toBe(200);
    const changed = await server.fetch(`/api/saas/subscriptions/${subscriptionIds[0]}?${mock}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ planId: "pro" }),
    });
    expect(changed.status).toBe(202);
    const location = new URL(changed.headers.get("operation-location") ?? "");
    expect(location.pathname).toMatch(
      new RegExp(`^/api/saas/subscriptions/${subscriptionIds[0]}/operations/[0-9a-f-]{36}$`),
    );
    expect(location.searchParams.get("api-version")).toBe("2018-09-15");
    const followed = await server.fetch(`${location.pathname}${location.search}`, { headers });
    expect(followed.status).toBe(200);
  });

  it("keeps full authentication for 2018-08-31: 401 without a token, even naming a publisher", async () => {
    const bare = await server.fetch(`/api/saas/subscriptions?${production}`);
    expect(bare.status).toBe(401);
    const named = await server.fetch(`/api/saas/subscriptions?${production}&publisherId=contoso`, {
      headers: { "x-saasport-publisher-id": "contoso" },
    });
    expect(named.status).toBe(401);
    expect(await json(named)).toMatchObject({ code: "Unauthorized" });
    const invalid = await server.fetch(`/api/saas/subscriptions?${production}&publisherId=contoso`, {
      headers: { authorization: "Bearer garbage" },
    });
    expect(invalid.status).toBe(401);
  });

  it("serves 2018-08-31 with a token, with links in 2018-08-31", async () => {
    const token = await publisherToken(server, "contoso");
    const listed = await server.fetch(`/api/saas/subscriptions?${production}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
    const next = new URL((await json(listed))["@nextLink"]);
    expect(next.searchParams.get("api-version")).toBe("2018-08-31");
  });

  it("lets a valid token win over the named publisher on the mock version, as no-auth mode does", async () => {
    const token = await publisherToken(server, "fabrikam");
    const response = await server.fetch(
      `/api/saas/subscriptions/${subscriptionIds[1]}?${mock}&publisherId=contoso`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(response.status).toBe(403);
  });
});
