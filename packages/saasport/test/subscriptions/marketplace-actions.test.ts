import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, operator, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe.each(databaseKinds)("marketplace-initiated changes on %s", (database) => {
  let server: TestServer;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    server = await startTestServer({ database, seed: seedFixtureCatalog });
    call = api(server, await publisherToken(server, "contoso"));
  });
  afterAll(() => server?.stop());

  async function buyerToken(tenantId: string): Promise<string> {
    const response = await server.fetch("/operator/v1/buyer-tokens", {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({ tenantId }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function store(token: string, method: string, path: string, body?: unknown) {
    const response = await server.fetch(`/store/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  const operatorCall = (method: string, path: string, body?: unknown) => operator(server)(method, path, body);

  async function activeSubscription(
    offerId: string,
    planId: string,
    quantity?: number,
    purchaserTenantId?: string,
  ) {
    const { subscriptionId } = await purchase(server, {
      offerId,
      planId,
      ...(quantity === undefined ? {} : { quantity }),
      ...(purchaserTenantId ? { purchaserTenantId } : {}),
    });
    expect((await call("POST", `/saas/subscriptions/${subscriptionId}/activate`, { body: {} })).status).toBe(
      200,
    );
    return subscriptionId;
  }

  async function events(subscriptionId: string) {
    return server.handle.database.db
      .selectFrom("events")
      .selectAll()
      .where("subscription_id", "=", subscriptionId)
      .orderBy("seq")
      .execute();
  }

  async function deliveries(subscriptionId: string) {
    const rows = await server.handle.database.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("subscription_id", "=", subscriptionId)
      .orderBy("seq")
      .execute();
    return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> }));
  }

  it("a buyer's plan change waits InProgress for the publisher, who sees it in O1 and accepts it with O3", async () => {
    const id = await activeSubscription("analytics", "basic");
    const buyer = await buyerToken(fixture.buyerTenant);
    const change = await store(buyer, "PATCH", `/subscriptions/${id}`, { planId: "pro" });
    expect(change.status).toBe(202);
    expect(change.json.operationStatus).toBe("InProgress");
    const operationId = change.json.operationId as string;

    const outstanding = await call("GET", `/saas/subscriptions/${id}/operations`);
    expect(outstanding.json.operations.map((op: { id: string }) => op.id)).toEqual([operationId]);
    expect(outstanding.json.operations[0]).toMatchObject({
      action: "ChangePlan",
      status: "InProgress",
      planId: "pro",
      operationRequestSource: "Azure",
    });

    const [delivery] = (await deliveries(id)).filter((row) => row.action === "ChangePlan");
    expect(delivery?.payload).toMatchObject({
      id: operationId,
      action: "ChangePlan",
      status: "InProgress",
      planId: "pro",
      quantity: 1,
      operationRequestSource: "Azure",
      purchaseToken: null,
      subscription: { id, planId: "basic", saasSubscriptionStatus: "Subscribed" },
    });

    // A second change while the first waits is refused: the lock holds.
    expect((await store(buyer, "PATCH", `/subscriptions/${id}`, { planId: "basic" })).status).toBe(409);

    const ack = await call("PATCH", `/saas/subscriptions/${id}/operations/${operationId}`, {
      body: { status: "Success" },
    });
    expect(ack.status).toBe(200);
    expect((await call("GET", `/saas/subscriptions/${id}`)).json.planId).toBe("pro");
    expect((await events(id)).map((event) => event.type)).toEqual([
      "Purchased",
      "Activated",
      "ChangePlanRequested",
      "PlanChanged",
    ]);
    expect((await events(id)).map((event) => event.seq)).toEqual([1, 2, 3, 4]);
  });

  it("O3 Failure leaves the subscription unchanged and records the failure", async () => {
    const id = await activeSubscription("seats", "team", 3);
    const buyer = await buyerToken(fixture.buyerTenant);
    const change = await store(buyer, "PATCH", `/subscriptions/${id}`, { quantity: 7 });
    expect(change.status).toBe(202);
    const ack = await call("PATCH", `/saas/subscriptions/${id}/operations/${change.json.operationId}`, {
      body: { status: "Failure" },
    });
    expect(ack.status).toBe(200);
    expect((await call("GET", `/saas/subscriptions/${id}`)).json.quantity).toBe(3);
    const operation = await call("GET", `/saas/subscriptions/${id}/operations/${change.json.operationId}`);
    expect(operation.json.status).toBe("Failed");
    expect((await events(id)).at(-1)?.type).toBe("OperationFailed");
  });

  it("seat changes are validated against the plan and refused on flat-rate plans", async () => {
    const seats = await activeSubscription("seats", "team", 3);
    const flat = await activeSubscription("analytics", "basic");
    const buyer = await buyerToken(fixture.buyerTenant);
    expect((await store(buyer, "PATCH", `/subscriptions/${seats}`, { quantity: 11 })).status).toBe(400);
    expect((await store(buyer, "PATCH", `/subscriptions/${seats}`, { quantity: 3 })).status).toBe(409);
    expect((await store(buyer, "PATCH", `/subscriptions/${flat}`, { quantity: 2 })).status).toBe(400);
    expect((await store(buyer, "PATCH", `/subscriptions/${flat}`, { planId: "basic" })).status).toBe(409);
    expect((await store(buyer, "PATCH", `/subscriptions/${flat}`, { planId: "nope" })).status).toBe(400);
    expect((await store(buyer, "PATCH", `/subscriptions/${flat}`, {})).status).toBe(400);
    expect(
      (await store(buyer, "PATCH", `/subscriptions/${flat}`, { planId: "pro", autoRenew: false })).status,
    ).toBe(400);
  });

  it("buyers see only their own subscriptions; a reseller acts, its customer only reads", async () => {
    const direct = await activeSubscription("analytics", "basic");
    const resold = await activeSubscription("analytics", "basic", undefined, fixture.resellerTenant);
    const buyer = await buyerToken(fixture.buyerTenant);
    const reseller = await buyerToken(fixture.resellerTenant);
    const stranger = await buyerToken(fixture.strangerTenant);

    expect((await store(stranger, "GET", `/subscriptions/${direct}`)).status).toBe(404);
    expect((await store(stranger, "PATCH", `/subscriptions/${direct}`, { autoRenew: false })).status).toBe(
      404,
    );
    expect((await store(stranger, "GET", "/subscriptions")).json.subscriptions).toEqual([]);

    expect((await store(buyer, "GET", `/subscriptions/${resold}`)).status).toBe(200);
    expect((await store(buyer, "DELETE", `/subscriptions/${resold}`)).status).toBe(403);
    expect((await store(reseller, "PATCH", `/subscriptions/${resold}`, { autoRenew: false })).status).toBe(
      200,
    );
    const listed = (await store(reseller, "GET", "/subscriptions")).json.subscriptions.map(
      (s: { id: string }) => s.id,
    );
    expect(listed).toContain(resold);
    expect(listed).not.toContain(direct);
    expect((await store("not-a-token", "GET", "/subscriptions")).status).toBe(401);
  });

  it("turning auto-renew off changes what happens at term end, without a webhook", async () => {
    const id = await activeSubscription("analytics", "basic");
    const buyer = await buyerToken(fixture.buyerTenant);
    const before = await store(buyer, "GET", `/subscriptions/${id}`);
    expect(before.json.nextTransition.kind).toBe("renew");
    expect((await store(buyer, "PATCH", `/subscriptions/${id}`, { autoRenew: false })).status).toBe(200);
    const after = await store(buyer, "GET", `/subscriptions/${id}`);
    expect(after.json.autoRenew).toBe(false);
    expect(after.json.nextTransition.kind).toBe("expire");
    expect(after.json.nextTransition.at).toBe(before.json.nextTransition.at);
    expect((await deliveries(id)).length).toBe(0);
    expect((await events(id)).at(-1)?.type).toBe("AutoRenewChanged");
  });

  it("payment failed suspends with a Suspend webhook; payment recovered reinstates after the publisher's ack", async () => {
    const id = await activeSubscription("analytics", "basic");
    const failed = await operatorCall("POST", `/subscriptions/${id}/payment-failed`);
    expect(failed.status).toBe(200);
    expect((await call("GET", `/saas/subscriptions/${id}`)).json.saasSubscriptionStatus).toBe("Suspended");
    const suspend = (await deliveries(id)).find((row) => row.action === "Suspend");
    expect(suspend?.payload).toMatchObject({
      action: "Suspend",
      status: "Succeeded",
      subscription: { saasSubscriptionStatus: "Suspended" },
    });
    // The notification's operation can be looked up, as publishers are told to do.
    const lookup = await call("GET", `/saas/subscriptions/${id}/operations/${suspend?.payload.id}`);
    expect(lookup.json).toMatchObject({ action: "Suspend", status: "Succeeded" });
    expect((await operatorCall("POST", `/subscriptions/${id}/payment-failed`)).status).toBe(400);

    const recovered = await operatorCall("POST", `/subscriptions/${id}/payment-recovered`);
    expect(recovered.status).toBe(202);
    expect((await call("GET", `/saas/subscriptions/${id}`)).json.saasSubscriptionStatus).toBe("Suspended");
    const ack = await call("PATCH", `/saas/subscriptions/${id}/operations/${recovered.json.operationId}`, {
      body: { status: "Success" },
    });
    expect(ack.status).toBe(200);
    expect((await call("GET", `/saas/subscriptions/${id}`)).json.saasSubscriptionStatus).toBe("Subscribed");
  });

  it("a buyer's cancellation unsubscribes at once and notifies; cancelling twice is refused", async () => {
    const id = await activeSubscription("seats", "team", 4);
    const buyer = await buyerToken(fixture.buyerTenant);
    const cancel = await store(buyer, "DELETE", `/subscriptions/${id}`);
    expect(cancel.status).toBe(200);
    const wire = (await call("GET", `/saas/subscriptions/${id}`)).json;
    expect(wire.saasSubscriptionStatus).toBe("Unsubscribed");
    expect(wire.quantity).toBe(4);
    const unsubscribe = (await deliveries(id)).find((row) => row.action === "Unsubscribe");
    expect(unsubscribe?.payload).toMatchObject({ quantity: 4, operationRequestSource: "Azure" });
    expect((await events(id)).at(-1)?.data).toContain('"withinRefundWindow":true');
    expect((await store(buyer, "DELETE", `/subscriptions/${id}`)).status).toBe(400);
  });

  it("the operator renews now: the term starts today, once", async () => {
    const id = await activeSubscription("analytics", "basic");
    const first = await operatorCall("POST", `/subscriptions/${id}/renew`);
    expect(first.status).toBe(200);
    expect(first.json.event.type).toBe("Renewed");
    expect((await operatorCall("POST", `/subscriptions/${id}/renew`)).status).toBe(409);
    expect((await deliveries(id)).filter((row) => row.action === "Renew")).toHaveLength(1);
  });

  it("publisher-initiated PATCH and DELETE notify the webhook with operationRequestSource Partner", async () => {
    const id = await activeSubscription("seats", "team", 2);
    const patch = await call("PATCH", `/saas/subscriptions/${id}`, { body: { quantity: 5 } });
    expect(patch.status).toBe(202);
    await server.handle.runBackgroundWork();
    const del = await call("DELETE", `/saas/subscriptions/${id}`);
    expect(del.status).toBe(202);
    await server.handle.runBackgroundWork();
    const notices = (await deliveries(id)).map((row) => row.payload);
    expect(
      notices.map((payload) => [payload.action, payload.operationRequestSource, payload.quantity]),
    ).toEqual([
      ["ChangeQuantity", "Partner", 5],
      ["Unsubscribe", "Partner", 5],
    ]);
  });

  it("operator routes need the operator key and validate ids", async () => {
    const buyer = await buyerToken(fixture.buyerTenant);
    const response = await server.fetch("/operator/v1/subscriptions", {
      headers: { authorization: `Bearer ${buyer}` },
    });
    expect(response.status).toBe(401);
    expect((await operatorCall("POST", "/subscriptions/not-a-guid/payment-failed")).status).toBe(400);
    expect(
      (await operatorCall("POST", "/subscriptions/00000000-0000-4000-8000-000000000000/payment-failed"))
        .status,
    ).toBe(404);
    // The store's list is per buyer; the operator is pointed at its own list.
    expect((await store(server.operatorKey, "GET", "/subscriptions")).status).toBe(400);
    const all = await operatorCall("GET", "/subscriptions?limit=2");
    expect(all.status).toBe(200);
    expect(all.json.subscriptions).toHaveLength(2);
    expect(all.json.nextAfter).toBeTruthy();
  });
});
