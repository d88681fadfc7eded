import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrlPlaceholder } from "../../src/catalog/reference-data.js";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { flatRatePlan, ids, perUserPlan, privatePlan } from "./support/catalog-builders.js";
import { asOperatorFor, call } from "./support/http.js";
import { seedCatalog, seeded } from "./support/seed.js";

describe.each(databaseKinds)("Partner API for the catalog on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    await seedCatalog(server);
  });
  afterAll(async () => server?.stop());

  const contoso = () => asOperatorFor(server, "contoso");
  const adatum = () => asOperatorFor(server, "adatum");

  describe("who the partner is", () => {
    it("answers 401 without credentials, in the saasport error body", async () => {
      const answer = await call(server, "GET", "/partner/v1/offers");
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe("Unauthorized");
    });

    it("answers 401 for a bearer token that is neither the operator key nor a valid token", async () => {
      const answer = await call(server, "GET", "/partner/v1/offers", {
        headers: { authorization: "Bearer not-a-token" },
      });
      expect(answer.status).toBe(401);
    });

    it("needs the publisher id header with the operator key", async () => {
      const answer = await call(server, "GET", "/partner/v1/offers", {
        headers: { authorization: `Bearer ${server.operatorKey}` },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: "HeaderNotPresent",
        target: "x-saasport-publisher-id",
      });
    });

    it("answers 404 for an unknown publisher named by the operator", async () => {
      const answer = await call(server, "GET", "/partner/v1/offers", {
        headers: asOperatorFor(server, "nobody"),
      });
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({ code: "EntityNotFound", target: "x-saasport-publisher-id" });
    });

    it("authenticates before it reads the body", async () => {
      const answer = await call(server, "POST", "/partner/v1/offers", { rawBody: "{not json" });
      expect(answer.status).toBe(401);
    });
  });

  describe("technical configuration", () => {
    it("shows tenant id, app id and the URLs with the base URL filled in", async () => {
      const answer = await call(server, "GET", "/partner/v1/technical-configuration", { headers: contoso() });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        publisherId: "contoso",
        tenantId: ids.tenant,
        appId: ids.app,
        landingPageUrl: `${server.url}/isv/landing`,
        webhookUrl: "https://isv.example/webhook",
      });
    });

    it("changes the URLs, filling in the SAASPORT_URL placeholder", async () => {
      const answer = await call(server, "PATCH", "/partner/v1/technical-configuration", {
        headers: adatum(),
        body: {
          landingPageUrl: `${baseUrlPlaceholder}/adatum/welcome`,
          webhookUrl: "https://adatum.example/hook",
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        landingPageUrl: `${server.url}/adatum/welcome`,
        webhookUrl: "https://adatum.example/hook",
      });
      const again = await call(server, "GET", "/partner/v1/technical-configuration", { headers: adatum() });
      expect(again.body).toEqual(answer.body);
    });

    it("lists every broken rule with its path", async () => {
      const answer = await call(server, "PATCH", "/partner/v1/technical-configuration", {
        headers: contoso(),
        body: {
          tenantId: "contoso.onmicrosoft.com",
          landingPageUrl: "https://isv.example/#/landing",
          webhookUrl: 42,
        },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("BadArgument");
      expect(answer.body.error.details).toEqual([
        { code: "InvalidValue", target: "body.webhookUrl", message: "must be text, but is the number 42" },
      ]);
      const semantic = await call(server, "PATCH", "/partner/v1/technical-configuration", {
        headers: contoso(),
        body: { tenantId: "contoso.onmicrosoft.com", landingPageUrl: "https://isv.example/#/landing" },
      });
      expect(semantic.status).toBe(400);
      expect(semantic.body.error.details.map((detail: { target: string }) => detail.target)).toEqual([
        "body.tenantId",
        "body.landingPageUrl",
      ]);
    });

    it("answers 409 for a tenant and app that belong to another publisher", async () => {
      const answer = await call(server, "PATCH", "/partner/v1/technical-configuration", {
        headers: contoso(),
        body: { tenantId: seeded.adatum.tenantId.toUpperCase(), appId: seeded.adatum.appId },
      });
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: "Conflict", target: "body.appId" });
    });
  });

  describe("offers", () => {
    it("lists the publisher's own offers with their plans, in order", async () => {
      const answer = await call(server, "GET", "/partner/v1/offers", { headers: contoso() });
      expect(answer.status).toBe(200);
      expect(answer.body.offers.map((offer: { id: string }) => offer.id)).toEqual(["analytics", "crm"]);
      const [analytics] = answer.body.offers;
      expect(analytics).toMatchObject({ id: "analytics", pricingModel: "flatRate", preview: false });
      expect(analytics.plans.map((plan: { id: string }) => plan.id)).toEqual(["basic", "vip"]);
      expect(analytics.plans[1]).toMatchObject({ private: true, audience: [ids.buyer], seats: null });
    });

    it("creates an offer with plans and answers 201 with its location", async () => {
      const answer = await call(server, "POST", "/partner/v1/offers", {
        headers: contoso(),
        body: {
          id: "reports",
          displayName: "Reports",
          pricingModel: "perUser",
          plans: [perUserPlan("solo"), { ...perUserPlan("crew"), seats: { min: 2, max: 20 } }],
        },
      });
      expect(answer.status).toBe(201);
      expect(answer.headers.get("location")).toBe("/partner/v1/offers/reports");
      expect(answer.body).toMatchObject({ id: "reports", description: "", preview: false });
      expect(answer.body.plans[0]).toEqual({
        id: "solo",
        displayName: "Plan solo",
        description: "",
        private: false,
        audience: [],
        seats: { min: 1, max: 50 },
        freeTrial: false,
        stopSell: false,
        markets: ["US"],
        allowExtendedTerms: false,
        autoActivation: false,
        billingTerms: [{ termUnit: "P1M", price: "12.00", currency: "USD", paymentOption: "upfront" }],
        meteredDimensions: [],
      });
      const fetched = await call(server, "GET", "/partner/v1/offers/reports", { headers: contoso() });
      expect(fetched.body).toEqual(answer.body);
    });

    it("answers 409 for an offer id the publisher already has, but another publisher may use it", async () => {
      const body = { id: "analytics", displayName: "Again", pricingModel: "flatRate" };
      const answer = await call(server, "POST", "/partner/v1/offers", { headers: contoso(), body });
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: "Conflict", target: "body.id" });
      const elsewhere = await call(server, "POST", "/partner/v1/offers", {
        headers: adatum(),
        body: { ...body, id: "reports" },
      });
      expect(elsewhere.status).toBe(201);
    });

    it("lists every broken rule of an offer and its plans, with paths into the body", async () => {
      const answer = await call(server, "POST", "/partner/v1/offers", {
        headers: contoso(),
        body: {
          id: "Bad Offer",
          displayName: "",
          pricingModel: "perUser",
          plans: [
            { ...flatRatePlan("metered") },
            {
              ...perUserPlan("team"),
              billingTerms: [{ termUnit: "P1M", price: "1.999", paymentOption: "annual" }],
            },
          ],
        },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toBe("The request breaks 5 catalog rules; see details.");
      expect(answer.body.error.details.map((detail: { target: string }) => detail.target)).toEqual([
        "body.id",
        "body.displayName",
        "body.plans[0].meteredDimensions",
        "body.plans[1].billingTerms[0].price",
        "body.plans[1].billingTerms[0].paymentOption",
      ]);
    });

    it("reports every wrongly typed or unknown field at once", async () => {
      const answer = await call(server, "POST", "/partner/v1/offers", {
        headers: contoso(),
        body: { id: 7, pricingModel: "tiered", preveiw: true, plans: "none" },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([
        { code: "RequiredField", target: "body.displayName", message: "is required" },
        {
          code: "InvalidValue",
          target: "body.preveiw",
          message:
            "is not a known field (known fields: id, displayName, description, pricingModel, preview, plans)",
        },
        { code: "InvalidValue", target: "body.id", message: "must be text, but is the number 7" },
        {
          code: "InvalidValue",
          target: "body.pricingModel",
          message: 'must be one of flatRate, perUser, but is the text "tiered"',
        },
        { code: "InvalidValue", target: "body.plans", message: 'must be a list, but is the text "none"' },
      ]);
    });

    it.each([
      ["no body", undefined],
      ["a JSON array", "[]"],
      ["a JSON string", '"offer"'],
      ["null", "null"],
      ["broken JSON", '{"id": '],
      [
        "huge numbers",
        '{"id":"x","displayName":"x","pricingModel":"flatRate","plans":[{"id":"p","displayName":"p","billingTerms":[{"termUnit":"P1M","price":1e400}]}]}',
      ],
      [
        "deeply wrong plans",
        '{"id":"x","displayName":"x","pricingModel":"flatRate","plans":[null, 1, [], {"billingTerms":[null]}]}',
      ],
    ])("answers 400, never 500, for %s", async (_name, rawBody) => {
      const answer = await call(server, "POST", "/partner/v1/offers", {
        headers: contoso(),
        ...(rawBody === undefined ? {} : { rawBody }),
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("BadArgument");
    });

    it("answers 404 for an unknown offer and for another publisher's offer", async () => {
      const unknown = await call(server, "GET", "/partner/v1/offers/nope", { headers: contoso() });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: "EntityNotFound", target: "offerId" });
      await call(server, "POST", "/partner/v1/offers", {
        headers: contoso(),
        body: { id: "contoso-only", displayName: "Mine", pricingModel: "flatRate" },
      });
      for (const [method, path] of [
        ["GET", "/partner/v1/offers/contoso-only"],
        ["PATCH", "/partner/v1/offers/contoso-only"],
        ["GET", "/partner/v1/offers/contoso-only/plans"],
        ["POST", "/partner/v1/offers/contoso-only/plans"],
      ] as const) {
        const body =
          method === "GET"
            ? undefined
            : method === "PATCH"
              ? { displayName: "Stolen" }
              : flatRatePlan("stolen");
        const answer = await call(server, method, path, { headers: adatum(), ...(body ? { body } : {}) });
        expect(answer.status, `${method} ${path}`).toBe(404);
      }
      const mine = await call(server, "GET", "/partner/v1/offers/contoso-only", { headers: contoso() });
      expect(mine.body).toMatchObject({ displayName: "Mine", plans: [] });
    });

    it("changes an offer's fields and keeps the other publisher's offer of the same id as it was", async () => {
      const answer = await call(server, "PATCH", "/partner/v1/offers/analytics", {
        headers: contoso(),
        body: { displayName: "Contoso Analytics", description: "Dashboards", preview: true },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: "analytics",
        displayName: "Contoso Analytics",
        description: "Dashboards",
        preview: true,
      });
      const theirs = await call(server, "GET", "/partner/v1/offers/analytics", { headers: adatum() });
      expect(theirs.body).toMatchObject({ displayName: "Analytics", preview: false });
    });

    it("keeps the pricing model once the offer has plans (409), and lets it change before", async () => {
      const locked = await call(server, "PATCH", "/partner/v1/offers/crm", {
        headers: contoso(),
        body: { pricingModel: "flatRate" },
      });
      expect(locked.status).toBe(409);
      expect(locked.body.error).toMatchObject({ code: "Conflict", target: "body.pricingModel" });
      await call(server, "POST", "/partner/v1/offers", {
        headers: contoso(),
        body: { id: "empty", displayName: "Empty", pricingModel: "flatRate" },
      });
      const free = await call(server, "PATCH", "/partner/v1/offers/empty", {
        headers: contoso(),
        body: { pricingModel: "perUser" },
      });
      expect(free.status).toBe(200);
      expect(free.body.pricingModel).toBe("perUser");
    });

    it("refuses an id in an offer PATCH", async () => {
      const answer = await call(server, "PATCH", "/partner/v1/offers/analytics", {
        headers: contoso(),
        body: { id: "renamed" },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.details[0]).toMatchObject({ target: "body.id" });
    });
  });

  describe("plans", () => {
    it("adds a plan to an offer and answers 201 with its location", async () => {
      const answer = await call(server, "POST", "/partner/v1/offers/analytics/plans", {
        headers: contoso(),
        body: { ...flatRatePlan("pro"), markets: ["us", "de"] },
      });
      expect(answer.status).toBe(201);
      expect(answer.headers.get("location")).toBe("/partner/v1/offers/analytics/plans/pro");
      expect(answer.body).toMatchObject({ id: "pro", markets: ["US", "DE"], seats: null });
      expect(answer.body.billingTerms[1]).toEqual({
        termUnit: "P1Y",
        price: "100.00",
        currency: "USD",
        paymentOption: "monthly",
      });
      expect(answer.body.meteredDimensions[0]).toEqual({
        id: "api-calls",
        displayName: "API calls",
        unitOfMeasure: "1000 calls",
        pricePerUnit: "0.50",
        currency: "USD",
        includedQuantity: { P1M: "100", P1Y: "unlimited" },
      });
      const listed = await call(server, "GET", "/partner/v1/offers/analytics/plans", { headers: contoso() });
      expect(listed.body.plans.map((plan: { id: string }) => plan.id)).toEqual(["basic", "vip", "pro"]);
      const fetched = await call(server, "GET", "/partner/v1/offers/analytics/plans/pro", {
        headers: contoso(),
      });
      expect(fetched.body).toEqual(answer.body);
    });

    it("answers 409 for a plan id the offer already has", async () => {
      const answer = await call(server, "POST", "/partner/v1/offers/analytics/plans", {
        headers: contoso(),
        body: flatRatePlan("basic"),
      });
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: "Conflict", target: "body.id" });
    });

    it("applies the offer's pricing model and the rules across its plans", async () => {
      const seatsOnFlatRate = await call(server, "POST", "/partner/v1/offers/analytics/plans", {
        headers: contoso(),
        body: { ...flatRatePlan("seated"), seats: { min: 1, max: 5 } },
      });
      expect(seatsOnFlatRate.status).toBe(400);
      expect(seatsOnFlatRate.body.error.details).toEqual([
        {
          code: "InvalidValue",
          target: "body.seats",
          message: "seat limits apply only to plans of a per-user offer; remove seats",
        },
      ]);
      const otherUnit = flatRatePlan("other-unit");
      otherUnit.meteredDimensions[0].unitOfMeasure = "call";
      const unitClash = await call(server, "POST", "/partner/v1/offers/analytics/plans", {
        headers: contoso(),
        body: otherUnit,
      });
      expect(unitClash.status).toBe(400);
      expect(unitClash.body.error.details[0]).toMatchObject({
        target: "body.meteredDimensions[0].unitOfMeasure",
      });
    });

    it("stops at 100 plans and 45 private plans per offer", async () => {
      await call(server, "POST", "/partner/v1/offers", {
        headers: adatum(),
        body: { id: "crowded", displayName: "Crowded", pricingModel: "flatRate" },
      });
      for (let index = 0; index < 45; index += 1) {
        const created = await call(server, "POST", "/partner/v1/offers/crowded/plans", {
          headers: adatum(),
          body: privatePlan(`vip-${index}`),
        });
        expect(created.status).toBe(201);
      }
      const privateTooMany = await call(server, "POST", "/partner/v1/offers/crowded/plans", {
        headers: adatum(),
        body: privatePlan("vip-45"),
      });
      expect(privateTooMany.status).toBe(400);
      expect(privateTooMany.body.error.details).toEqual([
        { code: "InvalidValue", target: "body.private", message: "an offer has at most 45 private plans" },
      ]);
      for (let index = 45; index < 100; index += 1) {
        const created = await call(server, "POST", "/partner/v1/offers/crowded/plans", {
          headers: adatum(),
          body: { ...flatRatePlan(`plan-${index}`), meteredDimensions: [] },
        });
        expect(created.status).toBe(201);
      }
      const tooMany = await call(server, "POST", "/partner/v1/offers/crowded/plans", {
        headers: adatum(),
        body: { ...flatRatePlan("plan-100"), meteredDimensions: [] },
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.details).toEqual([
        { code: "InvalidValue", target: "body", message: "an offer has at most 100 plans" },
      ]);
    });

    it("changes some fields of a plan, normalising prices", async () => {
      const answer = await call(server, "PATCH", "/partner/v1/offers/analytics/plans/basic", {
        headers: contoso(),
        body: {
          displayName: "Basic+",
          billingTerms: [{ termUnit: "P1M", price: 19.5 }],
          meteredDimensions: [],
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: "basic",
        displayName: "Basic+",
        description: "A plan.",
        billingTerms: [{ termUnit: "P1M", price: "19.50", currency: "USD", paymentOption: "upfront" }],
        meteredDimensions: [],
      });
    });

    it("checks the plan that results from a PATCH", async () => {
      const answer = await call(server, "PATCH", "/partner/v1/offers/crm/plans/team", {
        headers: contoso(),
        body: { seats: { min: 100 }, freeTrial: "yes" },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([
        {
          code: "InvalidValue",
          target: "body.freeTrial",
          message: 'must be true or false, but is the text "yes"',
        },
      ]);
      const semantic = await call(server, "PATCH", "/partner/v1/offers/crm/plans/team", {
        headers: contoso(),
        body: { seats: { min: 100 } },
      });
      expect(semantic.status).toBe(400);
      expect(semantic.body.error.details).toEqual([
        {
          code: "InvalidValue",
          target: "body.seats",
          message: "the minimum (100) must not exceed the maximum (50) number of seats",
        },
      ]);
      const cleared = await call(server, "PATCH", "/partner/v1/offers/crm/plans/team", {
        headers: contoso(),
        body: { seats: null },
      });
      expect(cleared.body.seats).toEqual({ min: 1, max: 1_000_000 });
    });

    it("lets a private plan become public but not a public plan private (409)", async () => {
      const toPrivate = await call(server, "PATCH", "/partner/v1/offers/analytics/plans/basic", {
        headers: contoso(),
        body: { private: true, audience: [ids.buyer] },
      });
      expect(toPrivate.status).toBe(409);
      expect(toPrivate.body.error).toMatchObject({ code: "Conflict", target: "body.private" });
      const toPublic = await call(server, "PATCH", "/partner/v1/offers/analytics/plans/vip", {
        headers: contoso(),
        body: { private: false },
      });
      expect(toPublic.status).toBe(200);
      expect(toPublic.body).toMatchObject({ private: false, audience: [] });
    });

    it("refuses a plan id in a PATCH and answers 404 for an unknown plan", async () => {
      const withId = await call(server, "PATCH", "/partner/v1/offers/analytics/plans/basic", {
        headers: contoso(),
        body: { id: "other" },
      });
      expect(withId.status).toBe(400);
      const unknown = await call(server, "PATCH", "/partner/v1/offers/analytics/plans/nope", {
        headers: contoso(),
        body: {},
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: "EntityNotFound", target: "planId" });
      const unknownOffer = await call(server, "GET", "/partner/v1/offers/nope/plans/basic", {
        headers: contoso(),
      });
      expect(unknownOffer.body.error).toMatchObject({ code: "EntityNotFound", target: "offerId" });
    });

    it("stop-sells and resumes a plan, idempotently, and only the publisher's own", async () => {
      for (let round = 0; round < 2; round += 1) {
        const stopped = await call(server, "POST", "/partner/v1/offers/crm/plans/team/stop-sell", {
          headers: contoso(),
        });
        expect(stopped.status).toBe(200);
        expect(stopped.body).toMatchObject({ id: "team", stopSell: true });
      }
      const theirs = await call(server, "GET", "/partner/v1/offers/crm/plans/team", { headers: adatum() });
      expect(theirs.body.stopSell).toBe(false);
      const resumed = await call(server, "POST", "/partner/v1/offers/crm/plans/team/resume-sell", {
        headers: contoso(),
      });
      expect(resumed.body.stopSell).toBe(false);
      const unknown = await call(server, "POST", "/partner/v1/offers/crm/plans/nope/stop-sell", {
        headers: contoso(),
      });
      expect(unknown.status).toBe(404);
    });
  });
});
