import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe.each(databaseKinds)("store API with buyer sign-in on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
  });
  afterAll(async () => server?.stop());

  async function buyerToken(tenantId: string): Promise<string> {
    const response = await server.fetch("/operator/v1/buyer-tokens", {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({ tenantId, emailId: "ada@buyer.example" }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      access_token: string;
      token_type: string;
      buyer: { tenantId: string };
    };
    expect(body.token_type).toBe("Bearer");
    expect(body.buyer.tenantId).toBe(tenantId);
    return body.access_token;
  }

  /** The purchased subscription, as its publisher reads it through the Fulfillment API. */
  async function asPublisherSeesIt(response: Response) {
    expect(response.status).toBe(201);
    const { subscriptionId } = (await response.json()) as { subscriptionId: string };
    const publisher = api(server, await publisherToken(server, "contoso"));
    return (await publisher("GET", `/saas/subscriptions/${subscriptionId}`)).json;
  }

  const store = (bearer: string | undefined, method: string, path: string, body?: unknown) =>
    server.fetch(path, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("answers 401 without sign-in, before looking at the body", async () => {
    const purchase = await store(undefined, "POST", "/store/v1/purchases", { nonsense: true });
    expect(purchase.status).toBe(401);
    expect(await store("not-a-token", "GET", "/store/v1/offers")).toHaveProperty("status", 401);
    const publisher = await publisherToken(server, "contoso");
    expect((await store(publisher, "GET", "/store/v1/offers")).status).toBe(401);
  });

  it("shows a buyer the private plans of their tenant only", async () => {
    const planIds = async (tenantId: string) => {
      const response = await store(await buyerToken(tenantId), "GET", "/store/v1/offers");
      const body = (await response.json()) as { offers: { offerId: string; plans: { planId: string }[] }[] };
      return body.offers.find((offer) => offer.offerId === "analytics")?.plans.map((plan) => plan.planId);
    };
    expect(await planIds(fixture.buyerTenant)).toEqual(["basic", "pro", "trial", "vip"]);
    expect(await planIds(fixture.strangerTenant)).toEqual(["basic", "pro", "trial"]);
  });

  it("lets a buyer buy for their own tenant, with every customer operation", async () => {
    const token = await buyerToken(fixture.buyerTenant);
    const response = await store(token, "POST", "/store/v1/purchases", {
      offerId: "analytics",
      planId: "vip",
    });
    const subscription = await asPublisherSeesIt(response);
    expect(subscription.beneficiary.tenantId).toBe(fixture.buyerTenant);
    expect(subscription.purchaser.tenantId).toBe(fixture.buyerTenant);
    expect(subscription.allowedCustomerOperations).toEqual(["Delete", "Read", "Update"]);
  });

  it("makes a buyer naming another tenant its reseller, leaving the customer Read only", async () => {
    const token = await buyerToken(fixture.resellerTenant);
    const response = await store(token, "POST", "/store/v1/purchases", {
      offerId: "analytics",
      planId: "basic",
      beneficiary: { tenantId: fixture.strangerTenant },
    });
    const subscription = await asPublisherSeesIt(response);
    expect(subscription.beneficiary.tenantId).toBe(fixture.strangerTenant);
    expect(subscription.purchaser.tenantId).toBe(fixture.resellerTenant);
    expect(subscription.allowedCustomerOperations).toEqual(["Read"]);
  });

  it("refuses a buyer posing as another purchaser, and private plans outside the audience", async () => {
    const token = await buyerToken(fixture.strangerTenant);
    const posing = await store(token, "POST", "/store/v1/purchases", {
      offerId: "analytics",
      planId: "basic",
      purchaser: { tenantId: fixture.buyerTenant },
    });
    expect(posing.status).toBe(403);
    const hidden = await store(token, "POST", "/store/v1/purchases", { offerId: "analytics", planId: "vip" });
    expect(hidden.status).toBe(404);
  });

  it("does not accept buyer tokens on the publisher API", async () => {
    const token = await buyerToken(fixture.buyerTenant);
    const response = await api(server, token)("GET", "/saas/subscriptions");
    expect(response.status).toBe(401);
  });

  it("needs a beneficiary when the operator buys", async () => {
    const response = await store(server.operatorKey, "POST", "/store/v1/purchases", {
      offerId: "analytics",
      planId: "basic",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { target: string } }).error.target).toBe("beneficiary");
  });
});
