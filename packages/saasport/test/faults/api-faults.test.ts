import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fires } from "../../src/faults/decision.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, apiVersion, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { addFault, faultsCall, listFaults } from "./support.js";

describe.each(databaseKinds)("/api faults on %s", (database) => {
  let server: TestServer;
  let contoso: ReturnType<typeof api>;
  let fabrikam: ReturnType<typeof api>;
  let contosoSubscription: string;
  let fabrikamSubscription: string;

  beforeAll(async () => {
    server = await startTestServer({ database, seed: seedFixtureCatalog });
    contoso = api(server, await publisherToken(server, "contoso"));
    fabrikam = api(server, await publisherToken(server, "fabrikam"));
    contosoSubscription = (await purchase(server, { offerId: "analytics", planId: "basic" })).subscriptionId;
    fabrikamSubscription = (await purchase(server, { offerId: "backup", planId: "standard" })).subscriptionId;
  });
  afterAll(async () => server?.stop());
  beforeEach(async () => {
    await faultsCall(server, "DELETE");
  });

  const faultOf = async (id: string) =>
    (await listFaults(server, "?all=true")).find((fault) => fault.id === id);

  it("answers 503 with the /api error body for `count` calls, then lets calls through", async () => {
    const fault = await addFault(server, { target: "api", kind: "status", status: 503, count: 2 });
    for (let call = 1; call <= 2; call++) {
      const answer = await contoso("GET", `/saas/subscriptions/${contosoSubscription}`, {
        headers: { "x-ms-requestid": `req-${call}`, "x-ms-correlationid": "corr-1" },
      });
      expect(answer.status).toBe(503);
      expect(answer.json).toEqual({
        error: { code: "InjectedFault", message: `Injected failure (Saasport ${fault.label}).` },
      });
      expect(answer.headers.get("x-ms-requestid")).toBe(`req-${call}`);
      expect(answer.headers.get("x-ms-correlationid")).toBe("corr-1");
      expect(answer.headers.get("x-saasport-fault")).toBe(fault.id);
    }
    const third = await contoso("GET", `/saas/subscriptions/${contosoSubscription}`);
    expect(third.status).toBe(200);
    expect(third.json.id).toBe(contosoSubscription);
    expect(await faultOf(fault.id)).toMatchObject({ hits: 2, remaining: 0, active: false });
    expect(await listFaults(server)).toEqual([]);
  });

  it("fakes throttling with 429 in the 4xx body layout", async () => {
    await addFault(server, { target: "api", kind: "status", status: 429, count: 1 });
    const answer = await contoso("GET", "/saas/subscriptions");
    expect(answer.status).toBe(429);
    expect(answer.json).toMatchObject({ code: "InjectedFault" });
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(200);
  });

  it("adds latency and still answers the call", async () => {
    const fault = await addFault(server, { target: "api", kind: "latency", delayMs: 20, count: 1 });
    const answer = await contoso("GET", `/saas/subscriptions/${contosoSubscription}`);
    expect(answer.status).toBe(200);
    expect(answer.json.id).toBe(contosoSubscription);
    expect(await faultOf(fault.id)).toMatchObject({ hits: 1, remaining: 0 });
  });

  it("makes the same decisions for the same seed", async () => {
    const pattern = async () => {
      const fault = await addFault(server, {
        target: "api",
        kind: "status",
        status: 500,
        probability: 0.5,
        seed: 7,
      });
      let seen = "";
      for (let call = 0; call < 16; call++) {
        const answer = await contoso("GET", "/saas/subscriptions");
        expect([200, 500]).toContain(answer.status);
        seen += answer.status === 500 ? "x" : ".";
      }
      await faultsCall(server, "DELETE", `/${fault.id}`);
      expect(await faultOf(fault.id)).toMatchObject({ consults: 16, hits: seen.split("x").length - 1 });
      return seen;
    };
    const expected = Array.from({ length: 16 }, (_, i) => (fires(7, i + 1, 0.5) ? "x" : ".")).join("");
    expect(expected).toMatch(/x.*\.|\..*x/);
    expect(await pattern()).toBe(expected);
    expect(await pattern()).toBe(expected);
  });

  it("limits a publisher's fault to calls authenticated as that publisher", async () => {
    await addFault(server, { target: "api", kind: "status", status: 503, publisherId: "fabrikam" });
    expect((await contoso("GET", `/saas/subscriptions/${contosoSubscription}`)).status).toBe(200);
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(200);
    expect((await fabrikam("GET", `/saas/subscriptions/${fabrikamSubscription}`)).status).toBe(503);
    expect((await fabrikam("GET", "/saas/subscriptions")).status).toBe(503);
  });

  it("limits a subscription's fault to calls about that subscription", async () => {
    const other = (await purchase(server, { offerId: "analytics", planId: "pro" })).subscriptionId;
    await addFault(server, {
      target: "api",
      kind: "status",
      status: 502,
      subscriptionId: contosoSubscription,
    });
    expect((await contoso("GET", `/saas/subscriptions/${contosoSubscription}`)).status).toBe(502);
    expect((await contoso("GET", `/saas/subscriptions/${other}`)).status).toBe(200);
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(200);
  });

  it("lets the oldest matching fault decide", async () => {
    const older = await addFault(server, { target: "api", kind: "status", status: 500, count: 1 });
    const newer = await addFault(server, { target: "api", kind: "status", status: 503, count: 1 });
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(500);
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(503);
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(200);
    expect((await faultOf(older.id))?.hits).toBe(1);
    expect((await faultOf(newer.id))?.hits).toBe(1);
  });

  it("leaves refused calls and other surfaces alone", async () => {
    const fault = await addFault(server, { target: "api", kind: "status", status: 503 });
    const anonymous = await server.fetch(`/api/saas/subscriptions?${apiVersion}`);
    expect(anonymous.status).toBe(401);
    const noVersion = await server.fetch("/api/saas/subscriptions");
    expect(noVersion.status).toBe(400);
    expect((await server.fetch("/healthz")).status).toBe(200);
    expect(await faultOf(fault.id)).toMatchObject({ hits: 0, consults: 0 });
  });

  it("stops at once when cleared", async () => {
    const fault = await addFault(server, { target: "api", kind: "status", status: 503 });
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(503);
    await faultsCall(server, "DELETE", `/${fault.id}`);
    expect((await contoso("GET", "/saas/subscriptions")).status).toBe(200);
  });
});
