import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, operator as operatorOf, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Payload = Record<string, unknown> & { subscription: Record<string, unknown> };

/** A publisher's webhook on loopback: records every payload; answers 200, or what a test asks for. */
function createReceiver() {
  const payloads: Payload[] = [];
  const answers = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const payload = JSON.parse(body) as Payload;
      payloads.push(payload);
      response.writeHead(answers.get(`${payload.subscriptionId}:${payload.action}`) ?? 200).end();
    });
  });
  return {
    server,
    payloads,
    /** Answer this status to this subscription's webhooks of this action. */
    answer(subscriptionId: string, action: string, status: number) {
      answers.set(`${subscriptionId}:${action}`, status);
    },
    of(subscriptionId: string) {
      return payloads.filter((payload) => payload.subscriptionId === subscriptionId);
    },
  };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((wait) => setTimeout(wait, 25));
  }
}

describe.each(databaseKinds)("every transition of spec §6.2 on %s", (database) => {
  let server: TestServer;
  let call: ReturnType<typeof api>;
  const receiver = createReceiver();
  let clockCount = 0;

  beforeAll(async () => {
    await new Promise<void>((done) => receiver.server.listen(0, "127.0.0.1", done));
    const port = (receiver.server.address() as AddressInfo).port;
    server = await startTestServer({
      database,
      settings: {
        lifecycle: {
          ...(await import("../../src/config/settings.js")).defaultLifecycle,
          ackWindowMs: 150,
          webhookRetryInitialDelayMs: 20,
          webhookRetryMaxDelayMs: 100,
        },
      },
      seed: async (db) => {
        await seedFixtureCatalog(db);
        await db
          .updateTable("publishers")
          .set({ webhook_url: `http://127.0.0.1:${port}/webhook` })
          .execute();
        await db.updateTable("plans").set({ auto_activation: 1 }).where("plan_id", "=", "early").execute();
      },
    });
    call = api(server, await publisherToken(server, "contoso"));
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((done) => receiver.server.close(done));
  });

  const operator = (method: string, path: string, body?: unknown) => operatorOf(server)(method, path, body);

  /** A subscription on its own test clock, so moving time for one row leaves the others alone. */
  async function subscriptionOnOwnClock(
    offerId: string,
    planId: string,
    options: { quantity?: number; activate?: boolean; tenantId?: string } = {},
  ) {
    const clock = `transitions-${database}-${++clockCount}`;
    expect((await operator("POST", "/clocks", { name: clock })).status).toBe(201);
    const response = await server.fetch("/store/v1/purchases", {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        offerId,
        planId,
        ...(options.quantity ? { quantity: options.quantity } : {}),
        testClock: clock,
        beneficiary: { tenantId: options.tenantId ?? fixture.buyerTenant },
      }),
    });
    expect(response.status).toBe(201);
    const { subscriptionId } = (await response.json()) as { subscriptionId: string };
    if (options.activate !== false && offerId !== "beta") {
      expect((await call("POST", `/saas/subscriptions/${subscriptionId}/activate`)).status).toBe(200);
    }
    return { id: subscriptionId, clock };
  }

  const advance = (clock: string, duration: string, waitForDeliveries = true) =>
    operator("POST", `/clock/advance?waitForDeliveries=${waitForDeliveries}`, { duration, testClock: clock });
  const subscription = async (id: string) => (await call("GET", `/saas/subscriptions/${id}`)).json;
  const eventTypes = async (id: string) =>
    (await operator("GET", `/events?subscriptionId=${id}`)).json.events.map(
      (event: { type: string }) => event.type,
    );
  const webhooks = (id: string) => receiver.of(id).map((payload) => `${payload.action}:${payload.status}`);
  const delivered = (id: string, count: number) =>
    eventually(
      async () => webhooks(id),
      (list) => list.length >= count,
      `${count} webhooks for ${id}`,
    );

  it("T1: a purchase is PendingFulfillmentStart and tells the publisher nothing", async () => {
    const { id } = await subscriptionOnOwnClock("analytics", "basic", { activate: false });
    expect((await subscription(id)).saasSubscriptionStatus).toBe("PendingFulfillmentStart");
    expect(await eventTypes(id)).toEqual(["Purchased"]);
    await server.handle.runBackgroundWork();
    expect(webhooks(id)).toEqual([]);
  });

  it("T1a: an auto-activation plan is Subscribed at purchase and announced with Subscribe", async () => {
    const { id } = await subscriptionOnOwnClock("beta", "early");
    expect((await subscription(id)).saasSubscriptionStatus).toBe("Subscribed");
    await delivered(id, 1);
    const [payload] = receiver.of(id);
    expect(payload).toMatchObject({ action: "Subscribe", status: "Succeeded", offerId: "beta-preview" });
    expect(payload?.subscription).toMatchObject({ saasSubscriptionStatus: "Subscribed" });
  });

  it("T2: activation starts the term and sends no webhook", async () => {
    const { id } = await subscriptionOnOwnClock("analytics", "basic");
    const wire = await subscription(id);
    expect(wire.saasSubscriptionStatus).toBe("Subscribed");
    expect(wire.term.startDate).toBeTruthy();
    expect(await eventTypes(id)).toEqual(["Purchased", "Activated"]);
  });

  it("T3: a pending purchase cancelled by the buyer is Unsubscribed with an Unsubscribe webhook", async () => {
    const { id } = await subscriptionOnOwnClock("analytics", "basic", { activate: false });
    expect((await operator("DELETE", `/subscriptions/${id}`)).status).toBe(200);
    await delivered(id, 1);
    expect(webhooks(id)).toEqual(["Unsubscribe:Succeeded"]);
    expect((await subscription(id)).saasSubscriptionStatus).toBe("Unsubscribed");
  });

  it("T4: a buyer's plan change auto-succeeds when the publisher stays silent through the ack window", async () => {
    const { id } = await subscriptionOnOwnClock("analytics", "basic");
    const change = await operator("PATCH", `/subscriptions/${id}`, { planId: "pro" });
    expect(change.status).toBe(202);
    await delivered(id, 1);
    const operation = await eventually(
      async () => (await call("GET", `/saas/subscriptions/${id}/operations/${change.json.operationId}`)).json,
      (body) => body.status === "Succeeded",
      "the ack window to elapse",
    );
    expect(operation).toMatchObject({ action: "ChangePlan", operationRequestSource: "Azure" });
    expect((await subscription(id)).planId).toBe("pro");
    expect(await eventTypes(id)).toEqual(["Purchased", "Activated", "ChangePlanRequested", "PlanChanged"]);
  });

  it("T4: a 4xx answer to the webhook rejects a seat change; the subscription keeps its seats", async () => {
    const { id } = await subscriptionOnOwnClock("seats", "team", { quantity: 3 });
    receiver.answer(id, "ChangeQuantity", 400);
    const change = await operator("PATCH", `/subscriptions/${id}`, { quantity: 8 });
    expect(change.status).toBe(202);
    const operation = await eventually(
      async () => (await call("GET", `/saas/subscriptions/${id}/operations/${change.json.operationId}`)).json,
      (body) => body.status === "Failed",
      "the rejection",
    );
    expect(operation.errorStatusCode).toBe("400");
    expect((await subscription(id)).quantity).toBe(3);
    expect(receiver.of(id)).toHaveLength(1);
  });

  it("T4: a publisher's own PATCH notifies with operationRequestSource Partner", async () => {
    const { id } = await subscriptionOnOwnClock("seats", "team", { quantity: 3 });
    expect((await call("PATCH", `/saas/subscriptions/${id}`, { body: { quantity: 4 } })).status).toBe(202);
    await delivered(id, 1);
    expect(receiver.of(id)[0]).toMatchObject({
      action: "ChangeQuantity",
      operationRequestSource: "Partner",
      quantity: 4,
      subscription: { quantity: 3 },
    });
  });

  it("T5: the day after endDate the term rolls and Renew is announced; its id answers Get Operation", async () => {
    const { id, clock } = await subscriptionOnOwnClock("analytics", "basic");
    const before = (await subscription(id)).term;
    const moved = await advance(clock, "P1M");
    expect(moved.status).toBe(200);
    expect(moved.json.transitions.renewed).toBe(1);
    const after = (await subscription(id)).term;
    const dayAfterEnd = new Date(Date.parse(before.endDate) + 86_400_000).toISOString().replace(".000Z", "Z");
    expect(after.startDate).toBe(dayAfterEnd);
    expect(webhooks(id)).toEqual(["Renew:Succeeded"]);
    const renewal = receiver.of(id)[0];
    expect(renewal?.subscription).toMatchObject({ term: { startDate: after.startDate } });
    const lookup = await call("GET", `/saas/subscriptions/${id}/operations/${renewal?.id}`);
    expect(lookup.json).toMatchObject({ action: "Renew", status: "Succeeded" });
  });

  it("T6 and T7: payment failed suspends; payment recovered reinstates once the ack window passes", async () => {
    const { id } = await subscriptionOnOwnClock("analytics", "basic");
    expect((await operator("POST", `/subscriptions/${id}/payment-failed`)).status).toBe(200);
    expect((await subscription(id)).saasSubscriptionStatus).toBe("Suspended");
    const recovered = await operator("POST", `/subscriptions/${id}/payment-recovered`);
    expect(recovered.status).toBe(202);
    await eventually(
      async () => (await subscription(id)).saasSubscriptionStatus,
      (status) => status === "Subscribed",
      "the reinstatement",
    );
    expect(webhooks(id)).toEqual(["Suspend:Succeeded", "Reinstate:InProgress"]);
    expect(receiver.of(id)[1]?.subscription).toMatchObject({ saasSubscriptionStatus: "Suspended" });
  });

  it("T8: 30 days Suspended end in Unsubscribed", async () => {
    const { id, clock } = await subscriptionOnOwnClock("analytics", "basic");
    expect((await operator("POST", `/subscriptions/${id}/payment-failed`)).status).toBe(200);
    expect((await advance(clock, "P29D")).json.transitions.unsubscribed).toBe(0);
    expect((await advance(clock, "P2D")).json.transitions.unsubscribed).toBe(1);
    expect((await subscription(id)).saasSubscriptionStatus).toBe("Unsubscribed");
    expect(webhooks(id)).toEqual(["Suspend:Succeeded", "Unsubscribe:Succeeded"]);
  });

  it("T9: with auto-renew off the subscription ends at term end", async () => {
    const { id, clock } = await subscriptionOnOwnClock("analytics", "basic");
    expect((await operator("PATCH", `/subscriptions/${id}`, { autoRenew: false })).status).toBe(200);
    expect((await advance(clock, "P1M")).json.transitions.unsubscribed).toBe(1);
    expect((await subscription(id)).saasSubscriptionStatus).toBe("Unsubscribed");
    expect(webhooks(id)).toEqual(["Unsubscribe:Succeeded"]);
  });

  it("T10: a free trial converts to paid after a month with a Renew webhook", async () => {
    // A tenant's first subscription of the offer: one trial per customer and offer.
    const { id, clock } = await subscriptionOnOwnClock("analytics", "trial", {
      tenantId: fixture.strangerTenant,
    });
    expect((await subscription(id)).isFreeTrial).toBe(true);
    expect((await advance(clock, "P1M")).json.transitions.trialsConverted).toBe(1);
    const wire = await subscription(id);
    expect(wire.isFreeTrial).toBe(false);
    expect(webhooks(id)).toEqual(["Renew:Succeeded"]);
    expect(await eventTypes(id)).toContain("TrialConverted");
  });

  it("events of one subscription reach the webhook in the order they happened", async () => {
    const { id, clock } = await subscriptionOnOwnClock("analytics", "basic");
    receiver.answer(id, "Renew", 503);
    await advance(clock, "P1M", false);
    expect((await operator("POST", `/subscriptions/${id}/payment-failed`)).status).toBe(200);
    await eventually(
      async () => receiver.of(id).length,
      (count) => count >= 3,
      "retries",
    );
    receiver.answer(id, "Renew", 200);
    await eventually(
      async () => webhooks(id).filter((hook) => !hook.startsWith("Renew")),
      (list) => list.length === 1,
      "the Suspend after the Renew",
    );
    const order = webhooks(id);
    expect(order.at(-1)).toBe("Suspend:Succeeded");
    expect(order.slice(0, -1).every((hook) => hook === "Renew:Succeeded")).toBe(true);
  });
});

describe.each(databaseKinds)("what each call may do in each state (spec §6.3) on %s", (database) => {
  let server: TestServer;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    server = await startTestServer({ database, seed: seedFixtureCatalog });
    call = api(server, await publisherToken(server, "contoso"));
  });
  afterAll(() => server?.stop());

  const operator = (path: string, method = "POST") =>
    server.fetch(`/operator/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${server.operatorKey}` },
    });

  async function inState(status: "PendingFulfillmentStart" | "Subscribed" | "Suspended" | "Unsubscribed") {
    const { subscriptionId: id } = await purchase(server, { offerId: "seats", planId: "team", quantity: 2 });
    if (status === "PendingFulfillmentStart") return id;
    expect((await call("POST", `/saas/subscriptions/${id}/activate`)).status).toBe(200);
    if (status === "Suspended")
      expect((await operator(`/subscriptions/${id}/payment-failed`)).status).toBe(200);
    if (status === "Unsubscribed")
      expect((await operator(`/subscriptions/${id}`, "DELETE")).status).toBe(200);
    return id;
  }

  it.each([
    ["activate", "Subscribed", 400],
    ["activate", "Suspended", 400],
    ["activate", "Unsubscribed", 404],
    ["change seats", "PendingFulfillmentStart", 400],
    ["change seats", "Suspended", 400],
    ["change seats", "Unsubscribed", 400],
    ["cancel", "Unsubscribed", 400],
    ["read", "Unsubscribed", 200],
    ["plans", "Suspended", 200],
  ] as const)("%s on a %s subscription answers %s", async (action, status, expected) => {
    const id = await inState(status);
    const path = `/saas/subscriptions/${id}`;
    const response =
      action === "activate"
        ? await call("POST", `${path}/activate`)
        : action === "change seats"
          ? await call("PATCH", path, { body: { quantity: 3 } })
          : action === "cancel"
            ? await call("DELETE", path)
            : action === "read"
              ? await call("GET", path)
              : await call("GET", `${path}/listAvailablePlans`);
    expect(response.status, response.text).toBe(expected);
  });

  it("O3 on a notification or a finished operation answers 409", async () => {
    const id = await inState("Subscribed");
    const suspended = await operator(`/subscriptions/${id}/payment-failed`);
    const { operationId } = (await suspended.json()) as { operationId: string };
    const ack = await call("PATCH", `/saas/subscriptions/${id}/operations/${operationId}`, {
      body: { status: "Success" },
    });
    expect(ack.status).toBe(409);
  });
});
