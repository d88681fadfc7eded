import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { hiddenValue, visitor } from "./http-client.js";

const contoso = {
  tenantId: "11111111-1111-1111-1111-111111111111",
  clientId: "aaaaaaaa-1111-1111-1111-111111111111",
  clientSecret: "contoso-demo-client-secret",
};
const limit = 3;
const windowSeconds = 5;

describe.each(databaseKinds)("web console: failed sign-ins are limited per address on %s", (kind) => {
  let server: TestServer;
  const clock = new ManualClock();
  const agents: Agent[] = [];
  let nextHost = 10;

  beforeAll(async () => {
    server = await startTestServer({
      database: kind,
      clock,
      settings: { demoCatalog: true, authFailures: { limit, windowSeconds } },
    });
  });
  afterAll(async () => {
    await server?.stop();
    for (const agent of agents) await agent.close();
  });

  /** A visitor on a loopback address of its own, with the sign-in page's anti-forgery value. */
  async function visitorFromNewAddress() {
    nextHost += 1;
    const agent = new Agent({ localAddress: `127.0.0.${nextHost}` });
    agents.push(agent);
    const browser = visitor({
      ...server,
      // Node's fetch takes an undici dispatcher; the DOM RequestInit type does not know the field.
      fetch: (path, init) =>
        fetch(`${server.url}${path}`, { ...init, dispatcher: agent } as unknown as RequestInit),
    });
    const csrf = hiddenValue((await browser.get("/console/sign-in")).text, "csrf");
    return {
      browser,
      operator: (operatorKey: string) => browser.post("/console/sign-in/operator", { csrf, operatorKey }),
      publisher: (clientSecret: string) =>
        browser.post("/console/sign-in/publisher", { csrf, ...contoso, clientSecret }),
    };
  }

  it("answers 429 with the wait on the page once the limit is reached, even to the right key", async () => {
    const visit = await visitorFromNewAddress();
    for (let attempt = 0; attempt < limit; attempt += 1) {
      expect((await visit.operator(`wrong-${attempt}`)).status).toBe(401);
    }
    const refused = await visit.operator(server.operatorKey);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(windowSeconds));
    expect(refused.text).toContain(`Too many failed sign-ins; try again in ${windowSeconds} seconds.`);
    expect(visit.browser.cookies.has("saasport_console")).toBe(false);

    const publisher = await visit.publisher(contoso.clientSecret);
    expect(publisher.status).toBe(429);
    expect(publisher.text).toContain("Too many failed sign-ins");
    expect(publisher.text).toContain(contoso.clientId);
  });

  it("counts wrong publisher credentials too, and leaves other addresses alone", async () => {
    const visit = await visitorFromNewAddress();
    for (let attempt = 0; attempt < limit; attempt += 1) {
      expect((await visit.publisher(`wrong-${attempt}`)).status).toBe(401);
    }
    expect((await visit.publisher(contoso.clientSecret)).status).toBe(429);

    const other = await visitorFromNewAddress();
    const signedIn = await other.publisher(contoso.clientSecret);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe("/console/portal");
  });

  it("does not count an empty form", async () => {
    const visit = await visitorFromNewAddress();
    for (let attempt = 0; attempt < limit + 1; attempt += 1) {
      expect((await visit.operator("")).status).toBe(401);
      expect((await visit.publisher("")).status).toBe(401);
    }
    expect((await visit.operator(server.operatorKey)).status).toBe(303);
  });

  it("lets the address sign in again once the window has passed", async () => {
    const visit = await visitorFromNewAddress();
    for (let attempt = 0; attempt < limit; attempt += 1) await visit.operator("wrong");
    clock.advance(windowSeconds * 1000 - 1000);
    const almost = await visit.operator(server.operatorKey);
    expect(almost.status).toBe(429);
    expect(almost.text).toContain("try again in 1 second.");

    clock.advance(1000);
    const signedIn = await visit.operator(server.operatorKey);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe("/console/operator");
  });
});
