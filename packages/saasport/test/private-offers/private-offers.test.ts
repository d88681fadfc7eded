import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buyAndActivate, linesOf, newTestClock } from "../billing/ledger-support.js";
import { advance } from "../clock/clock-support.js";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { assertMatchesOfficialSchema } from "../support/openapi.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";

type Json = Record<string, unknown> & { error?: { code: string; message: string; target?: string } };
type WirePlan = { planId: string; isPrivate: boolean; sourceOffers?: unknown };

/** Business time starts on 2026-03-10 (a ManualClock), so every date below is fixed. */
const start = new Date("2026-03-10T12:00:00.000Z");

/** A tenant of its own for the meter-price offer, so no other test's offer competes for its plans. */
const meterTenant = "f0f0f0f0-0000-4000-8000-000000000020";

const dealBody = (change: Record<string, unknown> = {}) => ({
  name: "Ada's analytics deal",
  offerId: "analytics",
  customerTenantId: fixture.buyerTenant,
  acceptBy: "2026-03-31",
  validFrom: "2026-03-01",
  validTo: "2026-12-31",
  plans: [
    { planId: "basic", discountPercent: "20" },
    { planId: "pro", absolutePrice: "30" },
  ],
  ...change,
});

describe.each(databaseKinds)("private offers on %s", (kind) => {
  let server: TestServer;
  let emptyShape: TestServer;
  let objectsShape: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ database: kind, clock, seed: seedFixtureCatalog });
    const shape = (sourceOffersShape: "empty" | "objects") =>
      startTestServer({
        database: kind,
        shareDatabase: server.database,
        clock,
        settings: { fidelity: { ...server.handle.settings.fidelity, sourceOffersShape } },
      });
    [emptyShape, objectsShape] = await Promise.all([shape("empty"), shape("objects")]);
    tokens.contoso = await publisherToken(server, "contoso");
    tokens.fabrikam = await publisherToken(server, "fabrikam");
    for (const [name, tenantId] of [
      ["buyer", fixture.buyerTenant],
      ["stranger", fixture.strangerTenant],
      ["reseller", fixture.resellerTenant],
    ] as const) {
      const response = await server.fetch("/operator/v1/buyer-tokens", {
        method: "POST",
        headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
        body: JSON.stringify({ tenantId }),
      });
      tokens[name] = ((await response.json()) as { access_token: string }).access_token;
    }
  });
  afterAll(async () => {
    await objectsShape?.stop();
    await emptyShape?.stop();
    await server?.stop();
  });

  async function call(who: string, method: string, path: string, body?: unknown, target = server) {
    const response = await target.fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who] ?? who}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: (text ? JSON.parse(text) : {}) as Json,
    };
  }

  const create = (body: unknown, who = "contoso") => call(who, "POST", "/partner/v1/private-offers", body);

  async function availablePlans(subscriptionId: string, target = server) {
    const response = await api(target, tokens.contoso ?? "")(
      "GET",
      `/saas/subscriptions/${subscriptionId}/listAvailablePlans`,
    );
    expect(response.status).toBe(200);
    assertMatchesOfficialSchema("FulfillmentOperations_ListAvailablePlans", 200, response.json);
    return new Map((response.json.plans as WirePlan[]).map((plan) => [plan.planId, plan]));
  }

  async function privateOfferOf(subscriptionId: string) {
    const row = await server.handle.database.db
      .selectFrom("subscriptions")
      .select("private_offer_id")
      .where("id", "=", subscriptionId)
      .executeTakeFirstOrThrow();
    return row.private_offer_id;
  }

  let dealId = "";

  it("creates a private offer visible only to its publisher and its customer's tenant", async () => {
    const created = await create(dealBody());
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    dealId = String(created.json.id);
    expect(created.headers.get("location")).toBe(`/partner/v1/private-offers/${dealId}`);
    expect(created.json).toMatchObject({
      publisherId: "contoso",
      customerTenantId: fixture.buyerTenant,
      audience: "customer",
      status: "pending",
      acceptedAt: null,
      plans: [
        { planId: "basic", discountPercent: "20" },
        { planId: "pro", absolutePrice: "30.00", currency: "USD" },
      ],
    });
    expect((await call("contoso", "GET", `/partner/v1/private-offers/${dealId}`)).json).toEqual(created.json);
    const own = await call("contoso", "GET", "/partner/v1/private-offers?status=pending");
    expect((own.json.privateOffers as Json[]).map((offer) => offer.id)).toContain(dealId);

    // Another publisher sees nothing of it.
    expect((await call("fabrikam", "GET", "/partner/v1/private-offers")).json).toEqual({ privateOffers: [] });
    expect((await call("fabrikam", "GET", `/partner/v1/private-offers/${dealId}`)).status).toBe(404);
    expect((await call("fabrikam", "POST", `/partner/v1/private-offers/${dealId}/withdraw`)).status).toBe(
      404,
    );

    // The customer's buyer sees list and private prices side by side; a stranger sees nothing.
    const mine = await call("buyer", "GET", "/store/v1/private-offers");
    expect(mine.status).toBe(200);
    expect(mine.json.privateOffers).toEqual([
      expect.objectContaining({
        id: dealId,
        status: "pending",
        plans: [
          expect.objectContaining({
            planId: "basic",
            discountPercent: "20",
            billingTerms: [
              {
                termUnit: "P1M",
                paymentOption: "upfront",
                currency: "USD",
                listPrice: "49.99",
                privatePrice: "39.99",
              },
              {
                termUnit: "P1Y",
                paymentOption: "monthly",
                currency: "USD",
                listPrice: "499.00",
                privatePrice: "399.20",
              },
            ],
          }),
          expect.objectContaining({
            planId: "pro",
            absolutePrice: "30.00",
            billingTerms: [
              expect.objectContaining({ listPrice: "49.99", privatePrice: "30.00" }),
              expect.objectContaining({ listPrice: "499.00", privatePrice: "30.00" }),
            ],
          }),
        ],
      }),
    ]);
    expect((await call("stranger", "GET", "/store/v1/private-offers")).json).toEqual({ privateOffers: [] });
    expect((await call("stranger", "POST", `/store/v1/private-offers/${dealId}/accept`)).status).toBe(404);
    const asOperator = await call(
      server.operatorKey,
      "GET",
      `/store/v1/private-offers?tenantId=${fixture.buyerTenant}`,
    );
    expect((asOperator.json.privateOffers as Json[]).map((offer) => offer.id)).toEqual([dealId]);
    expect((await call("nobody", "GET", "/store/v1/private-offers")).status).toBe(401);
    expect((await server.fetch("/partner/v1/private-offers")).status).toBe(401);
  });

  it("words a broken limit plainly: no plan, an empty name, a tenant that is not a GUID", async () => {
    const refused = await create(dealBody({ plans: [], name: "", customerTenantId: "acme" }));
    expect(refused.status).toBe(400);
    const { details } = refused.json.error as unknown as { details: { target: string; message: string }[] };
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: "body.plans", message: "must list at least 1 item, but lists 0" }),
        expect.objectContaining({ target: "body.name", message: "must not be empty" }),
        expect.objectContaining({
          target: "body.customerTenantId",
          message: 'must be a GUID, but is the text "acme"',
        }),
      ]),
    );
  });

  it("changes nothing for subscriptions until the customer accepts", async () => {
    const before = await purchase(server, { offerId: "analytics", planId: "basic" });
    expect(await privateOfferOf(before.subscriptionId)).toBeNull();
    const plans = await availablePlans(before.subscriptionId);
    expect(plans.get("basic")?.isPrivate).toBe(false);
  });

  it("once accepted, lists the offer's plans as private with sourceOffers per setting, and purchases record it", async () => {
    const accepted = await call("buyer", "POST", `/store/v1/private-offers/${dealId}/accept`);
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    expect(accepted.json).toMatchObject({ id: dealId, status: "accepted", acceptedAt: start.toISOString() });
    const again = await call("buyer", "POST", `/store/v1/private-offers/${dealId}/accept`);
    expect(again.status).toBe(409);
    expect(again.json.error?.message).toMatch(/is accepted; only a pending offer can be accepted/);
    const withdraw = await call("contoso", "POST", `/partner/v1/private-offers/${dealId}/withdraw`);
    expect(withdraw.status).toBe(409);
    expect(withdraw.json.error?.message).toMatch(/is accepted; only a pending offer can be withdrawn/);

    // The store's catalog shows the private prices beside the list prices, to this buyer only.
    const storePlans = async (who: string) => {
      const catalog = (await call(who, "GET", "/store/v1/offers")).json as {
        offers: Array<{ offerId: string; plans: Array<{ planId: string; privateOffer: Json | null }> }>;
      };
      const analytics = catalog.offers.find((offer) => offer.offerId === "analytics");
      return new Map((analytics?.plans ?? []).map((plan) => [plan.planId, plan.privateOffer]));
    };
    const mine = await storePlans("buyer");
    expect(mine.get("basic")).toMatchObject({ privateOfferId: dealId, discountPercent: "20" });
    expect(mine.get("pro")).toMatchObject({ privateOfferId: dealId, pricePerPayment: "30.00" });
    expect(mine.get("trial")).toBeNull();
    expect((await storePlans("stranger")).get("basic")).toBeNull();

    const bought = await purchase(server, { offerId: "analytics", planId: "basic" });
    expect(await privateOfferOf(bought.subscriptionId)).toBe(dealId);
    const trial = await purchase(server, { offerId: "analytics", planId: "trial" });
    expect(await privateOfferOf(trial.subscriptionId)).toBeNull();

    const omitted = await availablePlans(bought.subscriptionId);
    expect([
      omitted.get("basic")?.isPrivate,
      omitted.get("pro")?.isPrivate,
      omitted.get("trial")?.isPrivate,
    ]).toEqual([true, true, false]);
    expect(omitted.get("basic")).not.toHaveProperty("sourceOffers");

    const empty = await availablePlans(bought.subscriptionId, emptyShape);
    expect([empty.get("basic")?.sourceOffers, empty.get("trial")?.sourceOffers]).toEqual([[], []]);
    expect(empty.get("basic")?.isPrivate).toBe(true);

    const objects = await availablePlans(bought.subscriptionId, objectsShape);
    expect(objects.get("basic")?.sourceOffers).toEqual([{ externalId: dealId }]);
    expect(objects.get("pro")?.sourceOffers).toEqual([{ externalId: dealId }]);
    expect(objects.get("trial")?.sourceOffers).toEqual([]);

    // Another tenant's subscription of the same offer is untouched.
    const stranger = await purchase(server, {
      offerId: "analytics",
      planId: "basic",
      tenantId: fixture.strangerTenant,
    });
    expect(await privateOfferOf(stranger.subscriptionId)).toBeNull();
    expect((await availablePlans(stranger.subscriptionId, objectsShape)).get("basic")).toMatchObject({
      isPrivate: false,
      sourceOffers: [],
    });
  });

  it("lets the publisher withdraw a pending offer, which the customer then no longer sees", async () => {
    const created = await create(
      dealBody({ offerId: "seats", plans: [{ planId: "team", discountPercent: "10" }] }),
    );
    const id = String(created.json.id);
    const withdrawn = await call("contoso", "POST", `/partner/v1/private-offers/${id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json).toMatchObject({ status: "withdrawn", withdrawnAt: start.toISOString() });
    expect((await call("contoso", "POST", `/partner/v1/private-offers/${id}/withdraw`)).status).toBe(409);
    const ids = ((await call("buyer", "GET", "/store/v1/private-offers")).json.privateOffers as Json[]).map(
      (offer) => offer.id,
    );
    expect(ids).not.toContain(id);
    expect((await call("buyer", "POST", `/store/v1/private-offers/${id}/accept`)).status).toBe(404);
  });

  it("covers a reseller's purchases for its customers with a reseller offer", async () => {
    const created = await create(
      dealBody({
        customerTenantId: fixture.resellerTenant,
        audience: "reseller",
        plans: [{ planId: "pro", discountPercent: "15" }],
      }),
    );
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    expect((await call("reseller", "POST", `/store/v1/private-offers/${id}/accept`)).status).toBe(200);
    const forCustomer = await purchase(server, {
      offerId: "analytics",
      planId: "pro",
      tenantId: fixture.strangerTenant,
      purchaserTenantId: fixture.resellerTenant,
    });
    expect(await privateOfferOf(forCustomer.subscriptionId)).toBe(id);
    const plans = await availablePlans(forCustomer.subscriptionId, objectsShape);
    expect(plans.get("pro")?.sourceOffers).toEqual([{ externalId: id }]);
    expect(plans.get("basic")?.isPrivate).toBe(false);
  });

  let meterDealId = "";

  it("keeps an absolute price's meter prices and shows them beside the list price per unit", async () => {
    const created = await create(
      dealBody({
        customerTenantId: meterTenant,
        plans: [
          { planId: "basic", absolutePrice: "30", dimensionPrices: { "api-calls": "0.01250" } },
          { planId: "pro", discountPercent: "20" },
        ],
      }),
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    meterDealId = String(created.json.id);
    expect(created.json.plans).toEqual([
      {
        planId: "basic",
        absolutePrice: "30.00",
        currency: "USD",
        dimensionPrices: { "api-calls": "0.0125" },
      },
      { planId: "pro", discountPercent: "20" },
    ]);
    expect((await call("contoso", "GET", `/partner/v1/private-offers/${meterDealId}`)).json).toEqual(
      created.json,
    );
    const listed = await call("contoso", "GET", "/partner/v1/private-offers?status=pending");
    expect((listed.json.privateOffers as Json[]).find((offer) => offer.id === meterDealId)).toEqual(
      created.json,
    );

    const buyer = await call(server.operatorKey, "POST", "/operator/v1/buyer-tokens", {
      tenantId: meterTenant,
    });
    tokens.meterBuyer = String(buyer.json.access_token);
    const apiCalls = {
      id: "api-calls",
      displayName: "API calls (thousands)",
      unitOfMeasure: "1000 calls",
      currency: "USD",
      pricePerUnit: "0.25",
    };
    const store = await call("meterBuyer", "GET", "/store/v1/private-offers");
    expect(store.status).toBe(200);
    expect(store.json.privateOffers).toEqual([
      expect.objectContaining({
        id: meterDealId,
        plans: [
          expect.objectContaining({
            planId: "basic",
            absolutePrice: "30.00",
            dimensionPrices: { "api-calls": "0.0125" },
            meteringDimensions: [{ ...apiCalls, privatePricePerUnit: "0.0125" }],
          }),
          expect.objectContaining({
            planId: "pro",
            discountPercent: "20",
            meteringDimensions: [{ ...apiCalls, privatePricePerUnit: "0.2" }],
          }),
        ],
      }),
    ]);
    expect((store.json.privateOffers as Json[])[0]?.plans).toEqual([
      expect.any(Object),
      expect.not.objectContaining({ dimensionPrices: expect.anything() }),
    ]);

    const accepted = await call("meterBuyer", "POST", `/store/v1/private-offers/${meterDealId}/accept`);
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    expect(accepted.json.plans).toEqual([
      expect.objectContaining({ dimensionPrices: { "api-calls": "0.0125" } }),
      expect.anything(),
    ]);

    // The store's catalog: the plan's list price per unit and the offer's meter price, side by side.
    const catalog = (await call("meterBuyer", "GET", "/store/v1/offers")).json as {
      offers: Array<{
        offerId: string;
        plans: Array<{ planId: string; meteringDimensions: Json[]; privateOffer: Json | null }>;
      }>;
    };
    const plans = catalog.offers.find((offer) => offer.offerId === "analytics")?.plans ?? [];
    const basic = plans.find((plan) => plan.planId === "basic");
    expect(basic?.meteringDimensions).toEqual([
      expect.objectContaining({ id: "api-calls", pricePerUnit: "0.25" }),
    ]);
    expect(basic?.privateOffer).toEqual({
      privateOfferId: meterDealId,
      name: "Ada's analytics deal",
      validFrom: "2026-03-01",
      validTo: "2026-12-31",
      pricePerPayment: "30.00",
      currency: "USD",
      dimensionPrices: { "api-calls": "0.0125" },
    });
    expect(plans.find((plan) => plan.planId === "pro")?.privateOffer).not.toHaveProperty("dimensionPrices");
  });

  it("bills overage at the offer's meter price in the ledger", async () => {
    expect(meterDealId).not.toBe("");
    await newTestClock(server, "meters");
    const id = await buyAndActivate(server, {
      offerId: "analytics",
      planId: "basic",
      testClock: "meters",
      tenantId: meterTenant,
    });
    expect(await privateOfferOf(id)).toBe(meterDealId);
    const { now } = await advance(server, "PT2H", "meters");
    // 137 thousand calls: 100 included in the month, 37 over at 0.0125 = 0.4625, rounded once to 0.46.
    const usage = await api(server, tokens.contoso ?? "")("POST", "/usageEvent", {
      body: {
        resourceId: id,
        planId: "basic",
        dimension: "api-calls",
        quantity: 137,
        effectiveStartTime: new Date(new Date(now).getTime() - 3_600_000).toISOString(),
      },
    });
    expect(usage.status, usage.text).toBe(200);
    const termStart = (
      await server.handle.database.db
        .selectFrom("subscriptions")
        .select("term_start")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).term_start;
    // The billing month ends the day before the same day of the next month; it is final 24 hours later.
    await advance(server, "P33D", "meters");
    const lines = await linesOf(server.handle.database.db, id);
    const firstDay = String(termStart).slice(0, 10);
    expect(lines.filter((line) => line.kind === "instalment")[0]).toMatchObject({
      on_day: firstDay,
      amount: "30.00",
      private_offer_id: meterDealId,
    });
    const overage = lines.filter((line) => line.kind === "overage");
    expect(overage).toHaveLength(1);
    const monthEnd = new Date(`${firstDay}T00:00:00.000Z`);
    monthEnd.setUTCMonth(monthEnd.getUTCMonth() + 1);
    expect(overage[0]).toMatchObject({
      kind: "overage",
      plan_id: "basic",
      on_day: monthEnd.toISOString().slice(0, 10),
      period_start: firstDay,
      quantity: "37",
      unit_price: "0.0125",
      currency: "USD",
      amount: "0.46",
      list_amount: "9.25",
      private_offer_id: meterDealId,
    });
  });

  it("refuses acceptance after the accept-by day by business time", async () => {
    const created = await create(
      dealBody({ acceptBy: "2026-03-10", plans: [{ planId: "pro", discountPercent: "5" }] }),
    );
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    const advanced = await call(server.operatorKey, "POST", "/operator/v1/clock/advance", {
      duration: "P1D",
    });
    expect(advanced.status).toBe(200);
    const late = await call("buyer", "POST", `/store/v1/private-offers/${id}/accept`);
    expect(late.status).toBe(409);
    expect(late.json.error?.message).toMatch(/expired: it had to be accepted by 2026-03-10/);
    const expired = await call("contoso", "GET", "/partner/v1/private-offers?status=expired");
    expect((expired.json.privateOffers as Json[]).map((offer) => offer.id)).toEqual([id]);
    expect((await call("contoso", "POST", `/partner/v1/private-offers/${id}/withdraw`)).status).toBe(409);
  });

  const invalid: [string, unknown, string][] = [
    ["no body", "", "body"],
    ["not JSON", "{", "body"],
    ["a missing name", { ...dealBody(), name: undefined }, "body.name"],
    ["an unknown field", { ...dealBody(), colour: "red" }, "body.colour"],
    ["a bad tenant id", dealBody({ customerTenantId: "nope" }), "body.customerTenantId"],
    ["an unknown audience", dealBody({ audience: "everyone" }), "body.audience"],
    [
      "another publisher's offer",
      dealBody({ offerId: "backup", plans: [{ planId: "standard", discountPercent: "5" }] }),
      "body.offerId",
    ],
    [
      "an unknown plan",
      dealBody({ plans: [{ planId: "gold", discountPercent: "5" }] }),
      "body.plans[0].planId",
    ],
    [
      "a stop-sold plan",
      dealBody({ plans: [{ planId: "legacy", discountPercent: "5" }] }),
      "body.plans[0].planId",
    ],
    ["no price", dealBody({ plans: [{ planId: "basic" }] }), "body.plans[0]"],
    [
      "two prices",
      dealBody({ plans: [{ planId: "basic", discountPercent: "5", absolutePrice: "1" }] }),
      "body.plans[0]",
    ],
    [
      "a 100% discount",
      dealBody({ plans: [{ planId: "basic", discountPercent: "100" }] }),
      "body.plans[0].discountPercent",
    ],
    [
      "a numeric discount",
      dealBody({ plans: [{ planId: "basic", discountPercent: 20 }] }),
      "body.plans[0].discountPercent",
    ],
    [
      "a price with tenths of cents",
      dealBody({ plans: [{ planId: "basic", absolutePrice: "1.001" }] }),
      "body.plans[0].absolutePrice",
    ],
    [
      "meter prices with a discount",
      dealBody({
        plans: [{ planId: "basic", discountPercent: "20", dimensionPrices: { "api-calls": "0.1" } }],
      }),
      "body.plans[0].dimensionPrices",
    ],
    [
      "a meter price for a dimension the plan does not have",
      dealBody({ plans: [{ planId: "basic", absolutePrice: "5", dimensionPrices: { calls: "0.1" } }] }),
      "body.plans[0].dimensionPrices.calls",
    ],
    [
      "a meter price on a plan without meters",
      dealBody({ plans: [{ planId: "vip", absolutePrice: "5", dimensionPrices: { "api-calls": "0.1" } }] }),
      "body.plans[0].dimensionPrices.api-calls",
    ],
    [
      "a meter price with 7 decimals",
      dealBody({
        plans: [{ planId: "basic", absolutePrice: "5", dimensionPrices: { "api-calls": "0.0000001" } }],
      }),
      "body.plans[0].dimensionPrices.api-calls",
    ],
    [
      "a negative meter price",
      dealBody({
        plans: [{ planId: "basic", absolutePrice: "5", dimensionPrices: { "api-calls": "-0.1" } }],
      }),
      "body.plans[0].dimensionPrices.api-calls",
    ],
    [
      "a numeric meter price",
      dealBody({ plans: [{ planId: "basic", absolutePrice: "5", dimensionPrices: { "api-calls": 0.1 } }] }),
      "body.plans[0].dimensionPrices.api-calls",
    ],
    [
      "meter prices as a list",
      dealBody({ plans: [{ planId: "basic", absolutePrice: "5", dimensionPrices: ["0.1"] }] }),
      "body.plans[0].dimensionPrices",
    ],
    [
      "31 meter prices",
      dealBody({
        plans: [
          {
            planId: "basic",
            absolutePrice: "5",
            dimensionPrices: Object.fromEntries(Array.from({ length: 31 }, (_, k) => [`d${k}`, "0.1"])),
          },
        ],
      }),
      "body.plans[0].dimensionPrices",
    ],
    [
      "meter prices on a per-user plan",
      dealBody({
        offerId: "seats",
        plans: [{ planId: "team", absolutePrice: "5", dimensionPrices: { "api-calls": "0.1" } }],
      }),
      "body.plans[0].dimensionPrices",
    ],
    ["no plans", dealBody({ plans: [] }), "body.plans"],
    ["a bad date", dealBody({ validTo: "2026-13-01" }), "body.validTo"],
    ["validFrom after validTo", dealBody({ validFrom: "2027-01-01" }), "body.validTo"],
    ["acceptBy after validTo", dealBody({ acceptBy: "2027-01-01", validTo: "2026-12-31" }), "body.acceptBy"],
    ["acceptBy already past", dealBody({ acceptBy: "2026-03-01" }), "body.acceptBy"],
  ];
  it.each(invalid)("answers 400 to %s", async (_name, body, target) => {
    const response = await create(body);
    expect(response.status, JSON.stringify(response.json)).toBe(400);
    expect(response.json.error).toMatchObject({ code: "BadArgument", target });
    expect(response.json.error?.message).toBeTruthy();
  });

  it("reports every meter price problem at once", async () => {
    const response = await create(
      dealBody({
        plans: [
          {
            planId: "basic",
            absolutePrice: "5",
            dimensionPrices: { "api-calls": "0.0000001", calls: "1" },
          },
          { planId: "pro", discountPercent: "10", dimensionPrices: { "api-calls": "0.1" } },
        ],
      }),
    );
    expect(response.status).toBe(400);
    const details = (response.json.error as unknown as { details: { target: string; message: string }[] })
      .details;
    expect(details.map((detail) => detail.target)).toEqual([
      "body.plans[0].dimensionPrices.api-calls",
      "body.plans[0].dimensionPrices.calls",
      "body.plans[1].dimensionPrices",
    ]);
    expect(response.json.error?.message).toMatch(/breaks 3 rules/);
  });

  it("answers 413 to an oversized body and 404 to unknown ids", async () => {
    const huge = await create({ ...dealBody(), name: "x".repeat(40_000) });
    expect(huge.status).toBe(413);
    expect((await call("contoso", "GET", "/partner/v1/private-offers/not-a-guid")).status).toBe(404);
    expect((await call("buyer", "POST", "/store/v1/private-offers/not-a-guid/accept")).status).toBe(404);
  });

  it("documents the routes in /openapi.json", async () => {
    const document = (await (await server.fetch("/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/partner/v1/private-offers",
        "/partner/v1/private-offers/{id}",
        "/partner/v1/private-offers/{id}/withdraw",
        "/store/v1/private-offers",
        "/store/v1/private-offers/{id}/accept",
      ]),
    );
  });
});
