import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { assertMatchesOfficialSchema } from "../support/openapi.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(databaseKinds)("Fulfillment API v2 on %s", (kind) => {
  let server: TestServer;
  let call: ReturnType<typeof api>;
  let fabrikamCall: ReturnType<typeof api>;
  const clock = new ManualClock(new Date("2026-03-31T22:15:00.000Z"));

  beforeAll(async () => {
    server = await startTestServer({
      database: kind,
      clock,
      seed: seedFixtureCatalog,
      settings: { pageSize: 3 },
    });
    call = api(server, await publisherToken(server, "contoso"));
    fabrikamCall = api(server, await publisherToken(server, "fabrikam"));
  });
  afterAll(async () => server?.stop());

  async function activated(options: Parameters<typeof purchase>[1]) {
    const bought = await purchase(server, options);
    const response = await call("POST", `/saas/subscriptions/${bought.subscriptionId}/activate`, {
      body: {},
    });
    expect(response.status).toBe(200);
    return bought;
  }

  async function settle(operationLocation: string) {
    await server.handle.runBackgroundWork();
    const path = new URL(operationLocation).pathname.replace(/^\/api/, "");
    const response = await call("GET", path);
    assertMatchesOfficialSchema("SubscriptionOperations_GetOperationStatus", 200, response.json);
    return response.json as { status: string };
  }

  describe("F1 resolve", () => {
    it("resolves a purchase token to the pending subscription, without quantity on flat-rate plans", async () => {
      const bought = await purchase(server, { offerId: "analytics", planId: "basic", name: "Buyer prod" });
      expect(bought.subscriptionId).toMatch(guid);
      const url = new URL(bought.landingPageUrl);
      expect(`${url.origin}${url.pathname}`).toBe("https://contoso.example/landing");
      expect(url.searchParams.get("token")).toBe(bought.token);

      const response = await call("POST", "/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": bought.token },
      });
      expect(response.status).toBe(200);
      assertMatchesOfficialSchema("FulfillmentOperations_Resolve", 200, response.json);
      expect(response.json).toMatchObject({
        id: bought.subscriptionId,
        subscriptionName: "Buyer prod",
        offerId: "analytics",
        planId: "basic",
        subscription: {
          id: bought.subscriptionId,
          publisherId: "contoso",
          saasSubscriptionStatus: "PendingFulfillmentStart",
          term: { termUnit: "P1M" },
          autoRenew: true,
          isTest: false,
          isFreeTrial: false,
          allowedCustomerOperations: ["Delete", "Read", "Update"],
          sandboxType: "None",
          sessionMode: "None",
          beneficiary: { tenantId: fixture.buyerTenant, emailId: "ada@buyer.example" },
        },
      });
      expect(response.json).not.toHaveProperty("quantity");
      expect(response.json.subscription).not.toHaveProperty("quantity");
      expect(response.json.subscription.term).not.toHaveProperty("startDate");
      expect(response.json.subscription.created).toBe("2026-03-31T22:15:00.0000000Z");
      expect(response.json.subscription.lastModified).toBe("2026-03-31T22:15:00.0000000Z");
    });

    it("carries integer seats on per-user plans and resolves the same token repeatedly", async () => {
      const bought = await purchase(server, { offerId: "seats", planId: "team", quantity: 4 });
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await call("POST", "/saas/subscriptions/resolve", {
          headers: { "x-ms-marketplace-token": bought.token },
        });
        expect(response.status).toBe(200);
        expect(response.json.quantity).toBe(4);
        expect(response.json.subscription.quantity).toBe(4);
      }
    });

    it("accepts a token its caller forgot to URL-decode", async () => {
      const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
      const response = await call("POST", "/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": encodeURIComponent(bought.token) },
      });
      expect(response.status).toBe(200);
    });

    it("answers 400 HeaderNotPresent without the token header and 400 InvalidValue for an unknown token", async () => {
      const missing = await call("POST", "/saas/subscriptions/resolve");
      expect(missing.status).toBe(400);
      expect(missing.json).toEqual({
        code: "HeaderNotPresent",
        message: "Mandatory header missing",
        target: "x-ms-marketplace-token",
      });
      const unknown = await call("POST", "/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": "bm90LWEtdG9rZW4=" },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json).toMatchObject({ code: "InvalidValue", target: "token" });
    });

    it("answers 403 when another publisher resolves the token", async () => {
      const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
      const response = await fabrikamCall("POST", "/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": bought.token },
      });
      expect(response.status).toBe(403);
      expect(response.json.code).toBe("Forbidden");
    });

    it("marks preview purchases with the -preview suffix everywhere", async () => {
      const bought = await purchase(server, { offerId: "beta", planId: "early" });
      const response = await call("POST", "/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": bought.token },
      });
      expect(response.json.offerId).toBe("beta-preview");
      expect(response.json.subscription.offerId).toBe("beta-preview");
    });
  });

  describe("F2 activate", () => {
    it("starts the term at the activation day's UTC midnight and refuses a second activation", async () => {
      const bought = await purchase(server, {
        offerId: "seats",
        planId: "team",
        quantity: 2,
        termUnit: "P1Y",
      });
      const first = await call("POST", `/saas/subscriptions/${bought.subscriptionId}/activate`, {
        body: { planId: "team", quantity: 2 },
      });
      expect(first.status).toBe(200);
      expect(first.text).toBe("");
      const got = await call("GET", `/saas/subscriptions/${bought.subscriptionId}`);
      assertMatchesOfficialSchema("FulfillmentOperations_GetSubscription", 200, got.json);
      expect(got.json.saasSubscriptionStatus).toBe("Subscribed");
      expect(got.json.term).toEqual({
        termUnit: "P1Y",
        startDate: "2026-03-31T00:00:00Z",
        endDate: "2027-03-30T00:00:00Z",
        chargeDuration: "P1M",
      });
      const second = await call("POST", `/saas/subscriptions/${bought.subscriptionId}/activate`);
      expect(second.status).toBe(400);
      expect(second.json.code).toBe("BadRequest");
    });

    it("accepts an activation with no body at all and one with a mismatching plan (live does not check)", async () => {
      const noBody = await purchase(server, { offerId: "analytics", planId: "basic" });
      expect((await call("POST", `/saas/subscriptions/${noBody.subscriptionId}/activate`)).status).toBe(200);
      const mismatch = await purchase(server, { offerId: "analytics", planId: "basic" });
      const response = await call("POST", `/saas/subscriptions/${mismatch.subscriptionId}/activate`, {
        body: { planId: "pro" },
      });
      expect(response.status).toBe(200);
    });

    it("with a delayed activation, answers 200 at once and turns Subscribed once the delay passed", async () => {
      const delayedClock = new ManualClock(new Date("2026-05-31T23:58:00.000Z"));
      const delayed = await startTestServer({
        database: kind,
        clock: delayedClock,
        seed: seedFixtureCatalog,
        settings: { fidelity: { ...server.handle.settings.fidelity, activationDelayMs: 180_000 } },
      });
      try {
        const delayedCall = api(delayed, await publisherToken(delayed, "contoso"));
        const bought = await purchase(delayed, { offerId: "analytics", planId: "basic" });
        const path = `/saas/subscriptions/${bought.subscriptionId}`;
        expect((await delayedCall("POST", `${path}/activate`)).status).toBe(200);
        expect((await delayedCall("POST", `${path}/activate`)).status).toBe(200);
        await delayed.handle.runBackgroundWork();
        expect((await delayedCall("GET", path)).json.saasSubscriptionStatus).toBe("PendingFulfillmentStart");
        delayedClock.advance(181_000);
        await delayed.handle.runBackgroundWork();
        const after = await delayedCall("GET", path);
        expect(after.json.saasSubscriptionStatus).toBe("Subscribed");
        expect(after.json.term).toMatchObject({
          startDate: "2026-05-31T00:00:00Z",
          endDate: "2026-06-29T00:00:00Z",
        });
        expect((await delayedCall("POST", `${path}/activate`)).status).toBe(400);
      } finally {
        await delayed.stop();
      }
    });

    it("answers 404 for an unknown subscription and 403 for another publisher's", async () => {
      expect((await call("POST", `/saas/subscriptions/${randomUUID()}/activate`)).status).toBe(404);
      const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
      const response = await fabrikamCall("POST", `/saas/subscriptions/${bought.subscriptionId}/activate`);
      expect(response.status).toBe(403);
    });
  });

  describe("F3 list", () => {
    it("pages with absolute @nextLink until the last page, which has none, stable while adding", async () => {
      const fresh = await startTestServer({
        database: kind,
        seed: seedFixtureCatalog,
        settings: { pageSize: 3 },
      });
      try {
        const list = api(fresh, await publisherToken(fresh, "contoso"));
        const bought: string[] = [];
        for (let index = 0; index < 7; index++) {
          bought.push((await purchase(fresh, { offerId: "analytics", planId: "basic" })).subscriptionId);
        }
        await purchase(fresh, { offerId: "backup", planId: "standard" });
        const seen: string[] = [];
        let response = await list("GET", "/saas/subscriptions");
        let pages = 0;
        for (;;) {
          expect(response.status).toBe(200);
          assertMatchesOfficialSchema("FulfillmentOperations_ListSubscriptions", 200, response.json);
          pages++;
          seen.push(...response.json.subscriptions.map((subscription: { id: string }) => subscription.id));
          const next = response.json["@nextLink"] as string | undefined;
          if (!next) break;
          expect(next.startsWith(`${fresh.url}/api/saas/subscriptions`)).toBe(true);
          expect(next).toContain("api-version=2018-08-31");
          expect(next).toContain("continuationToken=");
          if (pages === 1) {
            bought.push((await purchase(fresh, { offerId: "analytics", planId: "basic" })).subscriptionId);
          }
          const nextResponse = await fetch(next, {
            headers: { authorization: `Bearer ${await publisherToken(fresh, "contoso")}` },
          });
          response = {
            status: nextResponse.status,
            headers: nextResponse.headers,
            text: "",
            json: await nextResponse.json(),
          };
        }
        expect(pages).toBe(3);
        expect(seen).toEqual(bought);
      } finally {
        await fresh.stop();
      }
    });

    it("answers 400 for a continuation token it did not issue", async () => {
      const response = await call("GET", "/saas/subscriptions?continuationToken=garbage");
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: "InvalidValue", target: "continuationToken" });
    });

    it("serves the path with a trailing slash too", async () => {
      expect((await call("GET", "/saas/subscriptions/")).status).toBe(200);
    });
  });

  describe("F5 listAvailablePlans", () => {
    it("shows private plans only to the audience, flags stop-sold plans, and filters by planId", async () => {
      const buyer = await purchase(server, { offerId: "analytics", planId: "basic" });
      const stranger = await purchase(server, {
        offerId: "analytics",
        planId: "basic",
        tenantId: fixture.strangerTenant,
      });
      const forBuyer = await call("GET", `/saas/subscriptions/${buyer.subscriptionId}/listAvailablePlans`);
      assertMatchesOfficialSchema("FulfillmentOperations_ListAvailablePlans", 200, forBuyer.json);
      const ids = (response: { json: { plans: { planId: string }[] } }) =>
        response.json.plans.map((plan) => plan.planId);
      expect(ids(forBuyer).sort()).toEqual(["basic", "legacy", "pro", "trial", "vip"]);
      const forStranger = await call(
        "GET",
        `/saas/subscriptions/${stranger.subscriptionId}/listAvailablePlans`,
      );
      expect(ids(forStranger).sort()).toEqual(["basic", "legacy", "pro", "trial"]);
      const vip = forBuyer.json.plans.find((plan: { planId: string }) => plan.planId === "vip");
      expect(vip.isPrivate).toBe(true);
      const legacy = forBuyer.json.plans.find((plan: { planId: string }) => plan.planId === "legacy");
      expect(legacy.isStopSell).toBe(true);
      const basic = forBuyer.json.plans.find((plan: { planId: string }) => plan.planId === "basic");
      expect(basic).toMatchObject({
        isPricePerSeat: false,
        hasFreeTrials: false,
        market: "US",
        planComponents: {
          recurrentBillingTerms: [
            {
              currency: "USD",
              price: 49.99,
              termUnit: "P1M",
              termDescription: "1 Month Subscription",
              meteredQuantityIncluded: [{ dimensionId: "api-calls", units: "100" }],
            },
            { currency: "USD", price: 499, termUnit: "P1Y", termDescription: "1 Year Subscription" },
          ],
          meteringDimensions: [
            {
              id: "api-calls",
              currency: "USD",
              pricePerUnit: 0.25,
              unitOfMeasure: "1000 calls",
              displayName: "API calls (thousands)",
            },
          ],
        },
      });
      expect(basic).not.toHaveProperty("minQuantity");
      expect(basic).not.toHaveProperty("sourceOffers");
      const filtered = await call(
        "GET",
        `/saas/subscriptions/${buyer.subscriptionId}/listAvailablePlans?planId=pro`,
      );
      expect(ids(filtered)).toEqual(["pro"]);
      const hidden = await call(
        "GET",
        `/saas/subscriptions/${stranger.subscriptionId}/listAvailablePlans?planId=vip`,
      );
      expect(ids(hidden)).toEqual([]);
    });

    it("gives per-user plans their seat limits", async () => {
      const bought = await purchase(server, { offerId: "seats", planId: "team", quantity: 3 });
      const response = await call("GET", `/saas/subscriptions/${bought.subscriptionId}/listAvailablePlans`);
      const team = response.json.plans.find((plan: { planId: string }) => plan.planId === "team");
      expect(team).toMatchObject({ isPricePerSeat: true, minQuantity: 1, maxQuantity: 10 });
    });
  });

  describe("F6 change plan or seats", () => {
    it("answers 202 with Operation-Location, Operation-Id and Retry-After, then applies the plan change", async () => {
      const bought = await activated({ offerId: "analytics", planId: "basic" });
      const response = await call("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, {
        body: { planId: "pro" },
      });
      expect(response.status).toBe(202);
      expect(response.text).toBe("");
      const operationId = response.headers.get("operation-id");
      expect(operationId).toMatch(guid);
      expect(response.headers.get("operation-location")).toBe(
        `${server.url}/api/saas/subscriptions/${bought.subscriptionId}/operations/${operationId}?api-version=2018-08-31`,
      );
      expect(new URL(response.headers.get("operation-location") ?? "").pathname.split("/")[6]).toBe(
        operationId,
      );
      expect(response.headers.get("retry-after")).toBe("10");
      expect(response.headers.get("x-ms-requestid")).toBe(operationId);
      expect(response.headers.get("x-ms-correlationid")).toBe(operationId);
      const operation = await settle(response.headers.get("operation-location") ?? "");
      expect(operation).toMatchObject({
        id: operationId,
        activityId: operationId,
        subscriptionId: bought.subscriptionId,
        publisherId: "contoso",
        offerId: "analytics",
        planId: "pro",
        action: "ChangePlan",
        status: "Succeeded",
        operationRequestSource: "Partner",
      });
      expect(operation).not.toHaveProperty("quantity");
      const after = await call("GET", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(after.json.planId).toBe("pro");
    });

    it("changes seats within the plan's limits", async () => {
      const bought = await activated({ offerId: "seats", planId: "team", quantity: 2 });
      const tooMany = await call("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, {
        body: { quantity: 11 },
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.json.message).toContain("maximal limit of 10");
      const same = await call("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, {
        body: { quantity: 2 },
      });
      expect(same.status).toBe(400);
      const fractional = await call("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, {
        body: { quantity: 2.5 },
      });
      expect(fractional.status).toBe(400);
      const response = await call("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, {
        body: { quantity: 7 },
      });
      expect(response.status).toBe(202);
      const operation = await settle(response.headers.get("operation-location") ?? "");
      expect(operation).toMatchObject({ action: "ChangeQuantity", quantity: 7, status: "Succeeded" });
      expect((await call("GET", `/saas/subscriptions/${bought.subscriptionId}`)).json.quantity).toBe(7);
    });

    it.each([
      ["both fields", { planId: "pro", quantity: 3 }, "Cannot patch more than one field in the same request"],
      ["neither field", {}, "Send either"],
      ["the current plan", { planId: "basic" }, "already subscribed to plan basic"],
      ["an unknown plan", { planId: "nope" }, "Request Plan is NOT in Catalog."],
      ["a private plan outside the audience", { planId: "vip" }, "Request Plan is NOT in Catalog."],
      ["a stop-sold plan", { planId: "legacy" }, "no longer sold"],
      ["seats on a flat-rate plan", { quantity: 3 }, "flat-rate"],
    ])("rejects %s with 400", async (_name, body, message) => {
      const bought = await activated({
        offerId: "analytics",
        planId: "basic",
        tenantId: fixture.strangerTenant,
      });
      const response = await call("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, { body });
      expect(response.status).toBe(400);
      expect(response.json.message).toContain(message);
    });

    it("refuses changes before activation and on reseller purchases", async () => {
      const pending = await purchase(server, { offerId: "analytics", planId: "basic" });
      const response = await call("PATCH", `/saas/subscriptions/${pending.subscriptionId}`, {
        body: { planId: "pro" },
      });
      expect(response.status).toBe(400);
      const reseller = await activated({
        offerId: "analytics",
        planId: "basic",
        purchaserTenantId: fixture.resellerTenant,
      });
      const got = await call("GET", `/saas/subscriptions/${reseller.subscriptionId}`);
      expect(got.json.allowedCustomerOperations).toEqual(["Read"]);
      expect(got.json.purchaser.tenantId).toBe(fixture.resellerTenant);
      const change = await call("PATCH", `/saas/subscriptions/${reseller.subscriptionId}`, {
        body: { planId: "pro" },
      });
      expect(change.status).toBe(400);
      expect((await call("DELETE", `/saas/subscriptions/${reseller.subscriptionId}`)).status).toBe(400);
    });

    it("locks the subscription while an operation is pending, even against concurrent requests", async () => {
      const slowClock = new ManualClock();
      const slow = await startTestServer({
        database: kind,
        clock: slowClock,
        seed: seedFixtureCatalog,
        settings: { fidelity: { ...server.handle.settings.fidelity, partnerOperationDelayMs: 60_000 } },
      });
      try {
        const slowCall = api(slow, await publisherToken(slow, "contoso"));
        const bought = await purchase(slow, { offerId: "analytics", planId: "basic" });
        expect((await slowCall("POST", `/saas/subscriptions/${bought.subscriptionId}/activate`)).status).toBe(
          200,
        );
        const attempts = await Promise.all(
          ["pro", "trial", "vip", "pro"].map((planId) =>
            slowCall("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, { body: { planId } }),
          ),
        );
        expect(attempts.map((attempt) => attempt.status).sort()).toEqual([202, 400, 400, 400]);
        const locked = attempts.find((attempt) => attempt.status === 400);
        expect(locked?.json).toEqual({
          code: "BadRequest",
          message: "Patch cannot be completed because the subscription is locked due to pending operations",
          target: "subscriptionId",
        });
        const accepted = attempts.find((attempt) => attempt.status === 202);
        const location = new URL(accepted?.headers.get("operation-location") ?? "").pathname.replace(
          /^\/api/,
          "",
        );
        await slow.handle.runBackgroundWork();
        expect((await slowCall("GET", location)).json.status).toBe("InProgress");
        const ack = await slowCall("PATCH", location, { body: { status: "Success" } });
        expect(ack.status).toBe(400);
        expect(ack.json.message).toContain("requested by the publisher");
        expect((await slowCall("DELETE", `/saas/subscriptions/${bought.subscriptionId}`)).status).toBe(400);
        slowClock.advance(61_000);
        await slow.handle.runBackgroundWork();
        expect((await slowCall("GET", location)).json.status).toBe("Succeeded");
        expect((await slowCall("DELETE", `/saas/subscriptions/${bought.subscriptionId}`)).status).toBe(202);
      } finally {
        await slow.stop();
      }
    });
  });

  describe("F7 cancel", () => {
    it("unsubscribes through an Unsubscribe operation and keeps the seat count", async () => {
      const bought = await activated({ offerId: "seats", planId: "team", quantity: 3 });
      const response = await call("DELETE", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(response.status).toBe(202);
      const operation = await settle(response.headers.get("operation-location") ?? "");
      expect(operation).toMatchObject({ action: "Unsubscribe", status: "Succeeded", quantity: 3 });
      const after = await call("GET", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(after.json.saasSubscriptionStatus).toBe("Unsubscribed");
      expect(after.json.quantity).toBe(3);
      const again = await call("DELETE", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(again.status).toBe(400);
      const activate = await call("POST", `/saas/subscriptions/${bought.subscriptionId}/activate`);
      expect(activate.status).toBe(404);
      const resolve = await call("POST", "/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": bought.token },
      });
      expect(resolve.json.subscription.saasSubscriptionStatus).toBe("Unsubscribed");
    });

    it("cancels a pending subscription too", async () => {
      const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
      const response = await call("DELETE", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(response.status).toBe(202);
      await settle(response.headers.get("operation-location") ?? "");
      expect(
        (await call("GET", `/saas/subscriptions/${bought.subscriptionId}`)).json.saasSubscriptionStatus,
      ).toBe("Unsubscribed");
    });
  });

  describe("Operations API", () => {
    it("lists no outstanding operations for publisher-initiated changes, as {operations: []}", async () => {
      const bought = await activated({ offerId: "analytics", planId: "basic" });
      const response = await call("GET", `/saas/subscriptions/${bought.subscriptionId}/operations`);
      expect(response.status).toBe(200);
      assertMatchesOfficialSchema("SubscriptionOperations_ListOperations", 200, response.json);
      expect(response.json).toEqual({ operations: [] });
    });

    it("answers 404 for an unknown operation, 400 for a bad status and 409 once the operation is final", async () => {
      const bought = await activated({ offerId: "analytics", planId: "basic" });
      const unknown = await call(
        "GET",
        `/saas/subscriptions/${bought.subscriptionId}/operations/${randomUUID()}`,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.json).toMatchObject({ code: "EntityNotFound", target: "operationId" });
      const patch = await call("PATCH", `/saas/subscriptions/${bought.subscriptionId}`, {
        body: { planId: "pro" },
      });
      const operationId = patch.headers.get("operation-id");
      const bad = await call(
        "PATCH",
        `/saas/subscriptions/${bought.subscriptionId}/operations/${operationId}`,
        {
          body: { status: "blah" },
        },
      );
      expect(bad.status).toBe(400);
      expect(bad.json.code).toBe("InvalidValue");
      await server.handle.runBackgroundWork();
      const final = await call(
        "PATCH",
        `/saas/subscriptions/${bought.subscriptionId}/operations/${operationId}`,
        {
          body: { status: "Success" },
        },
      );
      expect(final.status).toBe(409);
    });

    it.each([
      ["Success", "Succeeded", "pro"],
      ["Failure", "Failed", "basic"],
    ])("applies a marketplace-initiated ChangePlan on %s", async (ack, status, planAfter) => {
      const bought = await activated({ offerId: "analytics", planId: "basic" });
      const operationId = randomUUID();
      const now = new Date().toISOString();
      await server.handle.database.db
        .insertInto("operations")
        .values({
          id: operationId,
          subscription_id: bought.subscriptionId,
          publisher_id: "contoso",
          action: "ChangePlan",
          status: "InProgress",
          source: "Azure",
          plan_id: "pro",
          quantity: null,
          activity_id: randomUUID(),
          error_status_code: null,
          error_message: null,
          due_at: now,
          created_at: now,
          updated_at: now,
          pending: 1,
        })
        .execute();
      const outstanding = await call("GET", `/saas/subscriptions/${bought.subscriptionId}/operations`);
      expect(outstanding.json.operations.map((operation: { id: string }) => operation.id)).toEqual([
        operationId,
      ]);
      expect(outstanding.json.operations[0].operationRequestSource).toBe("Azure");
      const response = await call(
        "PATCH",
        `/saas/subscriptions/${bought.subscriptionId}/operations/${operationId}`,
        {
          body: { status: ack },
        },
      );
      expect(response.status).toBe(200);
      const operation = await call(
        "GET",
        `/saas/subscriptions/${bought.subscriptionId}/operations/${operationId}`,
      );
      expect(operation.json.status).toBe(status);
      expect((await call("GET", `/saas/subscriptions/${bought.subscriptionId}`)).json.planId).toBe(planAfter);
      expect(
        (await call("GET", `/saas/subscriptions/${bought.subscriptionId}/operations`)).json.operations,
      ).toEqual([]);
    });
  });

  describe("common conventions", () => {
    it("answers 400 for a missing or unsupported api-version, in the ASP.NET shape", async () => {
      const token = await publisherToken(server, "contoso");
      const missing = await server.fetch("/api/saas/subscriptions", {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toEqual({
        Error: {
          Code: "ApiVersionUnspecified",
          Message: "An API version is required, but was not specified.",
        },
      });
      const wrong = await server.fetch("/api/saas/subscriptions?api-version=2022-03-15", {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(wrong.status).toBe(400);
      expect(((await wrong.json()) as { Error: { Code: string } }).Error.Code).toBe("UnsupportedApiVersion");
    });

    it("echoes request and correlation ids, or generates one value for both", async () => {
      const echoed = await call("GET", "/saas/subscriptions", {
        headers: { "x-ms-requestid": "req-1", "x-ms-correlationid": "corr-1" },
      });
      expect(echoed.headers.get("x-ms-requestid")).toBe("req-1");
      expect(echoed.headers.get("x-ms-correlationid")).toBe("corr-1");
      expect(echoed.headers.get("x-ms-activityid")).toMatch(guid);
      const generated = await call("GET", "/saas/subscriptions");
      expect(generated.headers.get("x-ms-requestid")).toMatch(guid);
      expect(generated.headers.get("x-ms-correlationid")).toBe(generated.headers.get("x-ms-requestid"));
    });

    it("answers a subscription of another publisher with 403, not 404", async () => {
      const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
      const response = await fabrikamCall("GET", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(response.status).toBe(403);
      const list = await fabrikamCall("GET", "/saas/subscriptions");
      expect(
        list.json.subscriptions.every(
          (subscription: { publisherId: string }) => subscription.publisherId === "fabrikam",
        ),
      ).toBe(true);
    });

    it.each([
      ["GET", ""],
      ["GET", "/listAvailablePlans"],
      ["POST", "/activate"],
      ["PATCH", ""],
      ["DELETE", ""],
      ["GET", "/operations"],
    ])("answers %s of an unknown subscription%s with 404 EntityNotFound", async (method, suffix) => {
      for (const id of [randomUUID(), "not-a-guid"]) {
        const response = await call(method, `/saas/subscriptions/${id}${suffix}`, {
          ...(method === "PATCH" ? { body: { quantity: 2 } } : {}),
        });
        expect(response.status, `${method} ${id}${suffix}`).toBe(404);
        expect(response.json).toMatchObject({ code: "EntityNotFound", target: "subscriptionId" });
      }
    });
  });
});
