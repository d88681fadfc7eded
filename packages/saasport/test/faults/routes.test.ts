import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { addFault, faultsCall, listFaults } from "./support.js";

describe.each(databaseKinds)("/operator/v1/faults on %s", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database, seed: seedFixtureCatalog });
  });
  afterAll(async () => server?.stop());

  it("needs the operator key", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const response = await server.fetch("/operator/v1/faults", { method });
      expect(response.status, method).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("OperatorKeyRequired");
    }
  });

  it.each([
    [{}, "body.target", "target"],
    [{ target: "webhook" }, "body.kind", "kind"],
    [{ target: "email", kind: "status", status: 500 }, "body.target", ""],
    [{ target: "webhook", kind: "explode" }, "body.kind", ""],
    [{ target: "api", kind: "timeout" }, "kind", "An /api fault cannot be 'timeout'"],
    [{ target: "api", kind: "delay", delayMs: 5 }, "kind", "for /api use 'latency'"],
    [{ target: "webhook", kind: "status" }, "status", "needs status"],
    [{ target: "api", kind: "status", status: 404 }, "status", "429 or from 500 to 599"],
    [{ target: "webhook", kind: "timeout", status: 503 }, "status", "does not apply"],
    [{ target: "webhook", kind: "timeout", probability: 2 }, "body.probability", ""],
    [{ target: "webhook", kind: "timeout", count: 0 }, "body.count", ""],
    [{ target: "webhook", kind: "timeout", count: "many" }, "body.count", ""],
    [{ target: "webhook", kind: "timeout", seed: -4 }, "body.seed", ""],
    [{ target: "webhook", kind: "timeout", publisherId: "nobody" }, "publisherId", "no publisher 'nobody'"],
    [{ target: "webhook", kind: "timeout", subscriptionId: "nothing" }, "subscriptionId", "no subscription"],
    [{ target: "webhook", kind: "timeout", probabilty: 0.5 }, "probabilty", "Unknown field 'probabilty'"],
    [{ target: "webhook", kind: "timeout", toString: 1 }, "toString", "Unknown field 'toString'"],
  ])("refuses %j with a 400 naming the field", async (request, target, message) => {
    const refused = await faultsCall(server, "POST", "", request);
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error.code).toBe("BadArgument");
    expect(refused.body.error.target).toBe(target);
    expect(refused.body.error.message).toContain(message);
  });

  it("refuses a body that is not JSON or not an object", async () => {
    const response = await server.fetch("/operator/v1/faults", {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect((await faultsCall(server, "POST", "", [1, 2])).status).toBe(400);
  });

  it("refuses a subscription of another publisher", async () => {
    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    const refused = await faultsCall(server, "POST", "", {
      target: "webhook",
      kind: "duplicate",
      publisherId: "fabrikam",
      subscriptionId: bought.subscriptionId,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("belongs to publisher 'contoso'");
  });

  it("creates, lists oldest first, and clears one, by publisher, or all", async () => {
    await faultsCall(server, "DELETE");
    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    const retries = await addFault(server, { target: "webhook", kind: "status", status: 503, count: 3 });
    expect(retries).toMatchObject({
      target: "webhook",
      publisherId: null,
      subscriptionId: null,
      kind: "status",
      status: 503,
      probability: 1,
      count: 3,
      remaining: 3,
      hits: 0,
      consults: 0,
      active: true,
      clearedAt: null,
    });
    expect(retries.label).toBe(`fault ${retries.id.slice(0, 8)}: status 503`);
    expect(Number.isInteger(retries.seed)).toBe(true);

    const flaky = await addFault(server, {
      target: "api",
      kind: "status",
      status: 503,
      probability: 0.3,
      seed: 42,
      publisherId: "contoso",
    });
    expect(flaky).toMatchObject({ seed: 42, probability: 0.3, count: null, remaining: null });
    const scoped = await addFault(server, {
      target: "webhook",
      kind: "outOfOrder",
      holdMs: 5000,
      subscriptionId: bought.subscriptionId,
    });
    // A subscription scope records the subscription's publisher.
    expect(scoped).toMatchObject({
      publisherId: "contoso",
      subscriptionId: bought.subscriptionId,
      holdMs: 5000,
    });
    const other = await addFault(server, {
      target: "api",
      kind: "latency",
      delayMs: 10,
      publisherId: "fabrikam",
    });

    expect((await listFaults(server)).map((fault) => fault.id)).toEqual([
      retries.id,
      flaky.id,
      scoped.id,
      other.id,
    ]);

    expect((await faultsCall(server, "DELETE", `/${retries.id}`)).status).toBe(204);
    expect((await faultsCall(server, "DELETE", `/${retries.id}`)).status).toBe(204);
    const missing = await faultsCall(server, "DELETE", "/no-such-fault");
    expect(missing.status).toBe(404);
    expect(missing.body.error.target).toBe("faultId");

    expect((await faultsCall(server, "DELETE", "?publisherId=contoso")).body).toEqual({ cleared: 2 });
    expect((await listFaults(server)).map((fault) => fault.id)).toEqual([other.id]);

    const all = await listFaults(server, "?all=true");
    const cleared = all.find((fault) => fault.id === retries.id);
    expect(cleared?.active).toBe(false);
    expect(cleared?.clearedAt).toEqual(expect.any(String));
    expect(all.map((fault) => fault.id)).toEqual([retries.id, flaky.id, scoped.id, other.id]);

    expect((await faultsCall(server, "DELETE")).body).toEqual({ cleared: 1 });
    expect(await listFaults(server)).toEqual([]);
  });

  it("describes its routes in /openapi.json", async () => {
    const document = (await (await server.fetch("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    expect(Object.keys(document.paths["/operator/v1/faults"] ?? {}).sort()).toEqual([
      "delete",
      "get",
      "post",
    ]);
    expect(document.paths["/operator/v1/faults/{faultId}"]?.delete?.tags).toEqual(["Operator: faults"]);
  });
});
