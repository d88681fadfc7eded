import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultFidelity } from "../../src/config/settings.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";

// On PostgreSQL the activations that arrive together are read in one query and committed in one
// statement (subscriptions/activator.ts), and so are the operations that PATCH and DELETE start
// (start-operation.ts): each request must still get its own answer, each subscription exactly one
// activation and at most one pending operation.
describe.each(databaseKinds)("changes arriving together on %s", (kind) => {
  let server: TestServer;
  let contoso: ReturnType<typeof api>;
  const clock = new ManualClock(new Date("2026-05-04T09:00:00.000Z"));

  beforeAll(async () => {
    // Operations stay pending (the clock stands still), so a second change of one subscription is locked.
    server = await startTestServer({
      database: kind,
      clock,
      seed: seedFixtureCatalog,
      settings: { fidelity: { ...defaultFidelity, partnerOperationDelayMs: 60_000 } },
    });
    contoso = api(server, await publisherToken(server, "contoso"));
  });
  afterAll(async () => server?.stop());

  it("activates each once, answering 200, 400, 403 and 404 as if they came one by one", async () => {
    const pending = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        purchase(server, {
          offerId: index % 2 === 0 ? "analytics" : "seats",
          planId: index % 2 === 0 ? "basic" : "team",
          quantity: index % 2 === 0 ? undefined : 3,
        }),
      ),
    );
    const active = await purchase(server, { offerId: "analytics", planId: "basic" });
    expect((await contoso("POST", `/saas/subscriptions/${active.subscriptionId}/activate`)).status).toBe(200);
    const theirs = await purchase(server, { offerId: "backup", planId: "standard" });
    const twice = pending[0]?.subscriptionId as string;
    const calls = [
      ...pending.map((bought, index) => ({
        id: index === 1 ? bought.subscriptionId.toUpperCase() : bought.subscriptionId,
        status: 200,
      })),
      { id: active.subscriptionId, status: 400 },
      { id: theirs.subscriptionId, status: 403 },
      { id: randomUUID(), status: 404 },
    ];
    const answers = await Promise.all([
      ...calls.map((call) => contoso("POST", `/saas/subscriptions/${call.id}/activate`)),
      contoso("POST", `/saas/subscriptions/${twice}/activate`),
    ]);
    calls.forEach((call, index) => {
      if (call.id === twice) return;
      expect(answers[index]?.status, call.id).toBe(call.status);
    });
    // The same subscription twice in the crowd: one activation, one "already Subscribed".
    const twiceAnswers = [answers[0]?.status, answers.at(-1)?.status].sort();
    expect(twiceAnswers).toEqual([200, 400]);
    expect(answers.at(-4)?.json).toMatchObject({ code: "BadRequest" });

    for (const bought of pending) {
      const got = await contoso("GET", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(got.json.saasSubscriptionStatus).toBe("Subscribed");
      expect(got.json.term.startDate).toBe("2026-05-04T00:00:00Z");
    }
    const events = await server.handle.database.db
      .selectFrom("events")
      .select(["subscription_id", "seq", "type", "snapshot"])
      .where(
        "subscription_id",
        "in",
        pending.map((bought) => bought.subscriptionId),
      )
      .where("type", "=", "Activated")
      .execute();
    expect(events).toHaveLength(pending.length);
    for (const event of events) {
      expect(Number(event.seq)).toBe(2);
      expect(JSON.parse(event.snapshot as string)).toMatchObject({
        status: "Subscribed",
        termStart: "2026-05-04T00:00:00.000Z",
      });
    }
  });

  it("starts one operation per subscription, answering 202, 400, 403, 404 and locked as if one by one", async () => {
    const bought = await Promise.all(
      Array.from({ length: 10 }, () => purchase(server, { offerId: "seats", planId: "team", quantity: 2 })),
    );
    const flat = await purchase(server, { offerId: "analytics", planId: "basic" });
    const theirs = await purchase(server, { offerId: "backup", planId: "standard" });
    for (const subscription of [...bought, flat]) {
      const path = `/saas/subscriptions/${subscription.subscriptionId}/activate`;
      expect((await contoso("POST", path)).status).toBe(200);
    }
    const twice = bought[0]?.subscriptionId as string;
    const cancelled = bought[9]?.subscriptionId as string;
    const calls = [
      ...bought.slice(0, 9).map((subscription, index) => ({
        method: "PATCH",
        id: subscription.subscriptionId,
        body: { quantity: 3 + (index % 7) } as Record<string, unknown>,
        status: 202,
      })),
      { method: "DELETE", id: cancelled, body: undefined, status: 202 },
      { method: "PATCH", id: flat.subscriptionId, body: { quantity: 4 }, status: 400 },
      { method: "PATCH", id: bought[1]?.subscriptionId as string, body: { quantity: 11 }, status: 400 },
      { method: "PATCH", id: theirs.subscriptionId, body: { quantity: 2 }, status: 403 },
      { method: "DELETE", id: randomUUID(), body: undefined, status: 404 },
    ];
    // The second change of `bought[1]` asks for more seats than the plan allows; `twice` gets two.
    const answers = await Promise.all([
      ...calls.map((call) =>
        contoso(call.method, `/saas/subscriptions/${call.id}`, call.body ? { body: call.body } : {}),
      ),
      contoso("PATCH", `/saas/subscriptions/${twice}`, { body: { quantity: 7 } }),
    ]);
    calls.forEach((call, index) => {
      if (call.id === twice) return;
      expect(answers[index]?.status, `${call.method} ${call.id}: ${answers[index]?.text}`).toBe(call.status);
    });
    const twiceAnswers = [answers[0]?.status, answers.at(-1)?.status].sort();
    expect(twiceAnswers).toEqual([202, server.handle.settings.fidelity.lockedSubscriptionStatus]);

    const db = server.handle.database.db;
    const operationsOfBought = () =>
      db
        .selectFrom("operations")
        .select(["id", "subscription_id", "action", "quantity", "status", "pending"])
        .where(
          "subscription_id",
          "in",
          bought.map((subscription) => subscription.subscriptionId),
        )
        .execute();
    const operations = await operationsOfBought();
    expect(operations).toHaveLength(10);
    expect(new Set(operations.map((operation) => operation.subscription_id)).size).toBe(10);
    expect(operations.find((operation) => operation.subscription_id === cancelled)?.action).toBe(
      "Unsubscribe",
    );
    const second = operations.find((operation) => operation.subscription_id === bought[1]?.subscriptionId);
    expect(second).toMatchObject({ action: "ChangeQuantity", quantity: 4 });
    // Each answer's Operation-Location names its own operation.
    for (const [index, call] of calls.slice(0, 10).entries()) {
      if (call.id === twice) continue;
      const location = answers[index]?.headers.get("operation-location") ?? "";
      expect(location).toContain(`/api/saas/subscriptions/${call.id}/operations/`);
    }

    // The processor completes them together (on PostgreSQL in set-based statements): each operation
    // Succeeded, its subscription changed once, its event and its webhook recorded.
    await server.handle.runBackgroundWork();
    clock.advance(61_000);
    await server.handle.runBackgroundWork();
    const completed = await operationsOfBought();
    expect(completed).toHaveLength(10);
    for (const operation of completed) {
      expect(operation).toMatchObject({ status: "Succeeded", pending: null });
      const got = await contoso("GET", `/saas/subscriptions/${operation.subscription_id}`);
      if (operation.action === "Unsubscribe") expect(got.json.saasSubscriptionStatus).toBe("Unsubscribed");
      else expect(got.json.quantity).toBe(operation.quantity);
      const events = await db
        .selectFrom("events")
        .select(["seq", "type"])
        .where("operation_id", "=", operation.id)
        .execute();
      expect(events).toEqual([
        { seq: 3, type: operation.action === "Unsubscribe" ? "Unsubscribed" : "QuantityChanged" },
      ]);
      const deliveries = await db
        .selectFrom("webhook_deliveries")
        .select(["action", "seq"])
        .where("operation_id", "=", operation.id)
        .execute();
      expect(deliveries).toEqual([{ action: operation.action, seq: 3 }]);
    }
  });
});
