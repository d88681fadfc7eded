import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { insertPublisher, type TestPublisher, v1TokenForm, v2TokenForm } from "./identity-support.js";

const windowSeconds = 5;
const limit = 3;

/** Requests from distinct loopback addresses, so per-address and per-client limits can be told apart. */
const fromAddress = (address: string) => new Agent({ localAddress: address });

describe.each(databaseKinds)("token endpoints limit failed client authentications on %s", (kind) => {
  let server: TestServer;
  const clock = new ManualClock();
  const agents = new Map<string, Agent>();

  beforeAll(async () => {
    server = await startTestServer({
      database: kind,
      clock,
      settings: { authFailures: { limit, windowSeconds } },
    });
  });
  afterAll(async () => {
    await server?.stop();
    for (const agent of agents.values()) await agent.close();
  });

  /** A fresh loopback address for each test, so tests do not share the per-address count. */
  let nextHost = 10;
  function newAddress(): string {
    nextHost += 1;
    const address = `127.0.0.${nextHost}`;
    agents.set(address, fromAddress(address));
    return address;
  }

  async function requestToken(
    address: string,
    publisher: TestPublisher,
    overrides: Record<string, string> = {},
    version: 1 | 2 = 2,
  ) {
    const path =
      version === 1 ? `/${publisher.tenantId}/oauth2/token` : `/${publisher.tenantId}/oauth2/v2.0/token`;
    const form = version === 1 ? v1TokenForm(publisher, overrides) : v2TokenForm(publisher, overrides);
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "client-request-id": "corr-429" },
      body: new URLSearchParams(form),
      dispatcher: agents.get(address),
    } as RequestInit);
    return {
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as Record<string, unknown>,
    };
  }

  async function failTimes(count: number, address: string, publisher: TestPublisher) {
    for (let attempt = 0; attempt < count; attempt += 1) {
      const answer = await requestToken(address, publisher, { client_secret: `wrong-${attempt}` });
      expect(answer.status).toBe(401);
    }
  }

  it("answers 429 with Retry-After and Entra's body after the limit, even to the right secret", async () => {
    const publisher = await insertPublisher(server.handle.database.db);
    const address = newAddress();
    await failTimes(limit, address, publisher);

    const refused = await requestToken(address, publisher);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(windowSeconds));
    expect(refused.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(refused.json).toMatchObject({
      error: "temporarily_unavailable",
      error_codes: [50053],
      correlation_id: "corr-429",
      error_uri: "https://login.microsoftonline.com/error?code=50053",
    });
    expect(String(refused.json.error_description)).toMatch(
      new RegExp(`^AADSTS50053: .*Try again in ${windowSeconds} seconds\\.\\r\\nTrace ID: `),
    );
    // The v1 endpoint shares the count.
    expect((await requestToken(address, publisher, {}, 1)).status).toBe(429);
  });

  it("locks the client id from every address, and leaves other client ids alone", async () => {
    const guessed = await insertPublisher(server.handle.database.db);
    const other = await insertPublisher(server.handle.database.db);
    const attacker = newAddress();
    await failTimes(limit, attacker, guessed);

    const elsewhere = newAddress();
    expect((await requestToken(elsewhere, guessed)).status).toBe(429);
    expect((await requestToken(elsewhere, other)).status).toBe(200);
  });

  it("locks an address that guesses across client ids, including unknown ones", async () => {
    const publisher = await insertPublisher(server.handle.database.db);
    const address = newAddress();
    const unknownApp = { client_id: "11111111-2222-4333-8444-555555555555" };
    expect((await requestToken(address, publisher, unknownApp)).status).toBe(400);
    await failTimes(limit - 1, address, await insertPublisher(server.handle.database.db));

    expect((await requestToken(address, publisher)).status).toBe(429);
    expect((await requestToken(newAddress(), publisher)).status).toBe(200);
  });

  it("lets the locked client and address in again once the window has passed", async () => {
    const publisher = await insertPublisher(server.handle.database.db);
    const address = newAddress();
    await failTimes(limit, address, publisher);
    clock.advance(windowSeconds * 1000 - 1000);
    const almost = await requestToken(address, publisher);
    expect(almost.status).toBe(429);
    expect(almost.headers.get("retry-after")).toBe("1");

    clock.advance(1000);
    const answer = await requestToken(address, publisher);
    expect(answer.status).toBe(200);
    expect(answer.json.access_token).toEqual(expect.any(String));
  });

  it("does not count requests that fail for other reasons than the client's credentials", async () => {
    const publisher = await insertPublisher(server.handle.database.db);
    const address = newAddress();
    for (let attempt = 0; attempt < limit + 2; attempt += 1) {
      expect((await requestToken(address, publisher, { scope: "openid" })).status).toBe(400);
      expect((await requestToken(address, publisher)).status).toBe(200);
    }
  });
});

describe("token endpoints with the default limit", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite" });
  });
  afterAll(async () => server?.stop());

  it("locks after 10 failures for 60 seconds", async () => {
    const publisher = await insertPublisher(server.handle.database.db);
    const path = `/${publisher.tenantId}/oauth2/v2.0/token`;
    const post = (form: Record<string, string>) =>
      server.fetch(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      });
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await post(v2TokenForm(publisher, { client_secret: "wrong" }))).status).toBe(401);
    }
    const refused = await post(v2TokenForm(publisher));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(55);
  });
});
