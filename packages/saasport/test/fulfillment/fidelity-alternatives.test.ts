import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultFidelity, type FidelitySettings } from "../../src/config/settings.js";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, operator, publisherToken, purchase } from "../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";

/**
 * The other reading of each fidelity setting that changes an answer of the ten endpoints (spec §10),
 * all set at once on one server; the defaults are what the rest of the fulfillment tests hold.
 */
const alternatives: FidelitySettings = {
  ...defaultFidelity,
  operationListShape: "array",
  operationNotFoundStatus: 400,
  lockedSubscriptionStatus: 409,
  partnerOperationDelayMs: 60_000,
  resolveUnknownTokenStatus: 404,
  unknownSubscriptionPlans: "empty",
  emptySubscriptionList: "emptyBody",
  activateSubscribed: "accept",
  operationFields: "spec",
  flatRateQuantity: "null",
  legacyResourceId: "accept",
  planAndQuantity: "allow",
  activateBodyValidation: "strict",
  partnerOperationAckStatus: 409,
  activateStatus: 202,
  operationStatusValues: "acceptAny",
};

const legacyResource = "62d94f6c-d599-489b-a797-3e10e42fbe22";

describe.each(databaseKinds)("the fidelity settings' alternatives on %s", (kind) => {
  let server: TestServer;
  let call: ReturnType<typeof api>;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startTestServer({
      database: kind,
      clock,
      seed: seedFixtureCatalog,
      settings: { fidelity: alternatives },
    });
    // The bare operation list (2019 docs) and activate's 202 are answers the official file does not describe.
    call = api(server, await publisherToken(server, "contoso"), { officialSchemas: false });
  });
  afterAll(async () => server?.stop());

  it("answers the list of no subscriptions with an empty body", async () => {
    const empty = await call("GET", "/saas/subscriptions");
    expect(empty.status).toBe(200);
    expect(empty.text).toBe("");
    await purchase(server, { offerId: "analytics", planId: "basic" });
    const one = await call("GET", "/saas/subscriptions");
    expect(one.json.subscriptions).toHaveLength(1);
  });

  it("answers 404 to an unknown landing token, and a known one with a null quantity on a flat-rate plan", async () => {
    const unknown = await call("POST", "/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": "bm90IGEgdG9rZW4gdGhhdCBleGlzdHM=" },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: "EntityNotFound", target: "token" });
    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    const known = await call("POST", "/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": bought.token },
    });
    expect(known.status).toBe(200);
    // A flat-rate subscription's quantity is null, at the top of the answer and in the subscription.
    expect(known.json.quantity).toBeNull();
    expect(known.json.subscription.quantity).toBeNull();
    const got = await call("GET", `/saas/subscriptions/${bought.subscriptionId}`);
    expect(got.json).toHaveProperty("quantity", null);
    const seats = await purchase(server, { offerId: "seats", planId: "team", quantity: 3 });
    expect((await call("GET", `/saas/subscriptions/${seats.subscriptionId}`)).json.quantity).toBe(3);
  });

  it("lists no plans for an unknown subscription instead of 404, and still 403 for another publisher's", async () => {
    for (const id of [randomUUID(), "not-a-guid"]) {
      const unknown = await call("GET", `/saas/subscriptions/${id}/listAvailablePlans`);
      expect(unknown.status).toBe(200);
      expect(unknown.json).toEqual({ plans: [] });
    }
    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    const other = api(server, await publisherToken(server, "fabrikam"));
    expect(
      (await other("GET", `/saas/subscriptions/${bought.subscriptionId}/listAvailablePlans`)).status,
    ).toBe(403);
  });

  it("answers a change while one is pending with 409, lists operations as a bare array, an unknown one as 400 and one with the official fields only", async () => {
    const bought = await purchase(server, { offerId: "seats", planId: "team", quantity: 2 });
    const path = `/saas/subscriptions/${bought.subscriptionId}`;
    expect((await call("POST", `${path}/activate`)).status).toBe(202);
    const first = await call("PATCH", path, { body: { quantity: 3 } });
    expect(first.status).toBe(202);
    const second = await call("PATCH", path, { body: { quantity: 4 } });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ target: "subscriptionId" });
    const listed = await call("GET", `${path}/operations`);
    expect(listed.status).toBe(200);
    expect(Array.isArray(listed.json)).toBe(true);
    const unknown = await call("GET", `${path}/operations/${randomUUID()}`);
    expect(unknown.status).toBe(400);
    const operationPath = new URL(first.headers.get("operation-location") ?? "").pathname.replace(
      /^\/api/,
      "",
    );
    // Acknowledging an operation the publisher started itself.
    expect((await call("PATCH", operationPath, { body: { status: "Success" } })).status).toBe(409);
    const operation = await call("GET", operationPath);
    expect(operation.status).toBe(200);
    expect(operation.json).toMatchObject({ action: "ChangeQuantity" });
    expect(["NotStarted", "InProgress"]).toContain(operation.json.status);
    expect(operation.json).not.toHaveProperty("operationRequestSource");
  });

  it("answers activating a Subscribed subscription again with 202 and changes nothing", async () => {
    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    const path = `/saas/subscriptions/${bought.subscriptionId}`;
    expect((await call("POST", `${path}/activate`)).status).toBe(202);
    const before = await call("GET", path);
    const again = await call("POST", `${path}/activate`);
    expect(again.status).toBe(202);
    expect(again.text).toBe("");
    expect(await call("GET", path)).toMatchObject({ text: before.text });
    const events = await server.handle.database.db
      .selectFrom("events")
      .select("type")
      .where("subscription_id", "=", bought.subscriptionId)
      .execute();
    expect(events.filter((event) => event.type === "Activated")).toHaveLength(1);
  });

  it.each([
    ["v1", "/oauth2/token", { resource: legacyResource }],
    ["v2", "/oauth2/v2.0/token", { scope: `api://${legacyResource}/.default` }],
  ])("issues %s tokens for the legacy resource id, which the API accepts", async (_, endpoint, resource) => {
    const response = await server.fetch(`/${fixture.contoso.tenantId}${endpoint}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: fixture.contoso.appId,
        client_secret: fixture.contoso.secret,
        ...resource,
      }),
    });
    expect(response.status).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    expect(decodeJwt(token).aud).toBe(legacyResource);
    const legacyCall = api(server, token, { officialSchemas: false });
    expect((await legacyCall("GET", "/saas/subscriptions")).status).toBe(200);
  });

  it("changes plan and seats in one PATCH, within the new plan's seat limits", async () => {
    const bought = await purchase(server, { offerId: "seats", planId: "team", quantity: 2 });
    const path = `/saas/subscriptions/${bought.subscriptionId}`;
    expect((await call("POST", `${path}/activate`)).status).toBe(202);
    const tooMany = await call("PATCH", path, { body: { planId: "enterprise", quantity: 600 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ target: "quantity" });
    const both = await call("PATCH", path, { body: { planId: "enterprise", quantity: 20 } });
    expect(both.status).toBe(202);
    // The operation starts (InProgress, due after the 60 s delay), then completes once the delay passed.
    await server.handle.runBackgroundWork();
    clock.advance(61_000);
    await server.handle.runBackgroundWork();
    expect((await call("GET", path)).json).toMatchObject({ planId: "enterprise", quantity: 20 });
    const flat = await purchase(server, { offerId: "analytics", planId: "basic" });
    const flatPath = `/saas/subscriptions/${flat.subscriptionId}`;
    expect((await call("POST", `${flatPath}/activate`)).status).toBe(202);
    const seatsOnFlat = await call("PATCH", flatPath, { body: { planId: "pro", quantity: 3 } });
    expect(seatsOnFlat.status).toBe(400);
    expect(seatsOnFlat.json).toMatchObject({ target: "quantity" });
  });

  it("refuses an activation whose planId or quantity differs from the purchase", async () => {
    const bought = await purchase(server, { offerId: "seats", planId: "team", quantity: 2 });
    const path = `/saas/subscriptions/${bought.subscriptionId}/activate`;
    const otherPlan = await call("POST", path, { body: { planId: "enterprise" } });
    expect(otherPlan.status).toBe(400);
    expect(otherPlan.json).toMatchObject({ target: "planId" });
    const otherSeats = await call("POST", path, { body: { planId: "team", quantity: 3 } });
    expect(otherSeats.status).toBe(400);
    expect(otherSeats.json).toMatchObject({ target: "quantity" });
    expect((await call("POST", path, { body: { planId: "team", quantity: 2 } })).status).toBe(202);
  });

  it("answers a successful activation with 202 and an empty body, without an Operation-Location", async () => {
    const bought = await purchase(server, { offerId: "seats", planId: "team", quantity: 2 });
    const path = `/saas/subscriptions/${bought.subscriptionId}`;
    const activated = await call("POST", `${path}/activate`);
    expect(activated.status).toBe(202);
    expect(activated.text).toBe("");
    expect(activated.headers.get("operation-location")).toBeNull();
    expect(activated.headers.get("x-ms-requestid")).toBeTruthy();
    expect((await call("GET", path)).json.saasSubscriptionStatus).toBe("Subscribed");
  });

  it("answers an operation status other than Success or Failure with 200 and changes nothing", async () => {
    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    const path = `/saas/subscriptions/${bought.subscriptionId}`;
    expect((await call("POST", `${path}/activate`)).status).toBe(202);
    const change = await operator(server)("PATCH", `/subscriptions/${bought.subscriptionId}`, {
      planId: "pro",
    });
    expect(change.status).toBe(202);
    const operationPath = `${path}/operations/${change.json.operationId}`;
    const before = await recorded(bought.subscriptionId);
    const blah = await call("PATCH", operationPath, { body: { status: "blah" } });
    expect(blah.status).toBe(200);
    expect(blah.text).toBe("");
    expect((await call("GET", operationPath)).json.status).toBe("InProgress");
    expect((await call("GET", path)).json.planId).toBe("basic");
    expect(await recorded(bought.subscriptionId)).toEqual(before);
    // The subscription and the operation must still exist, and the status must still be a string.
    const unknown = await call("PATCH", `${path}/operations/${randomUUID()}`, { body: { status: "blah" } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ target: "operationId" });
    const gone = await call("PATCH", `/saas/subscriptions/${randomUUID()}/operations/${randomUUID()}`, {
      body: { status: "blah" },
    });
    expect(gone.status).toBe(404);
    for (const body of [{}, { status: 1 }, { status: null }]) {
      const refused = await call("PATCH", operationPath, { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json).toMatchObject({ code: "InvalidValue", target: "status" });
    }
    expect((await call("PATCH", operationPath, { body: { status: "Success" } })).status).toBe(200);
    expect((await call("GET", operationPath)).json.status).toBe("Succeeded");
    expect((await call("GET", path)).json.planId).toBe("pro");
  });

  /** The subscription's events and webhook deliveries, to show that a call recorded nothing. */
  async function recorded(subscriptionId: string) {
    const { db } = server.handle.database;
    const events = await db
      .selectFrom("events")
      .select("type")
      .where("subscription_id", "=", subscriptionId)
      .execute();
    const deliveries = await db
      .selectFrom("webhook_deliveries")
      .select("action")
      .where("subscription_id", "=", subscriptionId)
      .execute();
    return { events: events.length, deliveries: deliveries.length };
  }
});
