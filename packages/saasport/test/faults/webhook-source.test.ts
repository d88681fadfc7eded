import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../src/db/connection.js";
import type { WebhookFaultSource } from "../../src/faults/directive.js";
import { createFaultInjector } from "../../src/faults/injector.js";
import { createFaultStore } from "../../src/faults/store.js";
import { createWebhookFaultSource } from "../../src/faults/webhook-source.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { addFault, faultsCall, listFaults } from "./support.js";

describe.each(databaseKinds)("webhook fault source on %s", (database) => {
  let server: TestServer;
  let subscription: string;
  let sibling: string;
  let fabrikamSubscription: string;
  /** A second consumer, as another Saasport process would be (its own pool on PostgreSQL). */
  let otherProcess: DatabaseHandle | undefined;
  let source: WebhookFaultSource;
  let otherSource: WebhookFaultSource;

  beforeAll(async () => {
    server = await startTestServer({ database, seed: seedFixtureCatalog });
    subscription = (await purchase(server, { offerId: "analytics", planId: "basic" })).subscriptionId;
    sibling = (await purchase(server, { offerId: "analytics", planId: "pro" })).subscriptionId;
    fabrikamSubscription = (await purchase(server, { offerId: "backup", planId: "standard" })).subscriptionId;
    const db = server.handle.database.db;
    // Cache off: these sources see faults created through the server's routes immediately.
    source = createWebhookFaultSource(createFaultInjector(createFaultStore(db), { cacheMs: 0 }));
    if (server.database.databaseUrl) {
      otherProcess = connect({ databaseUrl: server.database.databaseUrl, sqliteFile: "" });
    }
    otherSource = createWebhookFaultSource(
      createFaultInjector(createFaultStore(otherProcess?.db ?? db), { cacheMs: 0 }),
    );
  });
  afterAll(async () => {
    await otherProcess?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    await faultsCall(server, "DELETE");
  });

  const attempt = (subscriptionId: string, publisherId = "contoso", n = 1) => ({
    deliveryId: `delivery-${n}`,
    publisherId,
    subscriptionId,
    attempt: n,
  });

  it("answers each kind's directive with its label", async () => {
    const cases = [
      [{ kind: "status", status: 503 }, { kind: "status", status: 503 }, "status 503"],
      [{ kind: "timeout" }, { kind: "timeout" }, "timeout"],
      [{ kind: "delay", delayMs: 1500 }, { kind: "delay", ms: 1500 }, "delay 1500 ms"],
      [{ kind: "duplicate" }, { kind: "duplicate" }, "duplicate"],
      [{ kind: "outOfOrder", holdMs: 900 }, { kind: "outOfOrder", holdMs: 900 }, "out of order, held 900 ms"],
    ] as const;
    for (const [request, directive, effect] of cases) {
      const fault = await addFault(server, { target: "webhook", count: 1, ...request });
      expect(await source.forAttempt(attempt(subscription))).toEqual({
        fault: directive,
        label: `fault ${fault.id.slice(0, 8)}: ${effect}`,
      });
      expect(await source.forAttempt(attempt(subscription))).toBeUndefined();
    }
  });

  it("ignores /api faults and answers nothing when no fault is set", async () => {
    expect(await source.forAttempt(attempt(subscription))).toBeUndefined();
    await addFault(server, { target: "api", kind: "status", status: 503 });
    expect(await source.forAttempt(attempt(subscription))).toBeUndefined();
  });

  it("scopes by subscription and by publisher", async () => {
    await addFault(server, { target: "webhook", kind: "timeout", subscriptionId: subscription });
    await addFault(server, { target: "webhook", kind: "duplicate", publisherId: "fabrikam" });
    expect((await source.forAttempt(attempt(subscription)))?.fault).toEqual({ kind: "timeout" });
    expect(await source.forAttempt(attempt(sibling))).toBeUndefined();
    expect((await source.forAttempt(attempt(fabrikamSubscription, "fabrikam")))?.fault).toEqual({
      kind: "duplicate",
    });
  });

  it("applies `count` times in all, however many consumers ask at once", async () => {
    const fault = await addFault(server, { target: "webhook", kind: "status", status: 500, count: 10 });
    const decisions = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? source : otherSource).forAttempt(attempt(subscription, "contoso", i + 1)),
      ),
    );
    expect(decisions.filter((decision) => decision !== undefined)).toHaveLength(10);
    const stored = (await listFaults(server, "?all=true")).find((listed) => listed.id === fault.id);
    expect(stored).toMatchObject({ hits: 10, remaining: 0, active: false });
  });

  it("sees a fault cleared through the routes even with a long cache", async () => {
    const cached = createWebhookFaultSource(createFaultInjector(createFaultStore(server.handle.database.db)));
    const fault = await addFault(server, { target: "webhook", kind: "timeout" });
    expect(await cached.forAttempt(attempt(subscription))).toBeDefined();
    await faultsCall(server, "DELETE", `/${fault.id}`);
    // The cached list still names the fault; the database says it is cleared.
    expect(await cached.forAttempt(attempt(subscription))).toBeUndefined();
  });
});
