import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrlPlaceholder } from "../../src/catalog/reference-data.js";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ids, rsaPublicKeyPem } from "./support/catalog-builders.js";
import { asOperator, asOperatorFor, call } from "./support/http.js";
import { seedCatalog } from "./support/seed.js";

const newTenant = "0d0d0d0d-0000-4000-8000-000000000001";
const newApp = "0e0e0e0e-0000-4000-8000-000000000001";

describe.each(databaseKinds)("Operator API for the catalog on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    await seedCatalog(server);
  });
  afterAll(async () => server?.stop());

  it.each([
    ["GET", "/operator/v1/catalog"],
    ["GET", "/operator/v1/publishers"],
    ["POST", "/operator/v1/publishers"],
  ])("answers 401 to %s %s without the operator key", async (method, path) => {
    for (const headers of [{}, { authorization: "Bearer wrong-key" }] as Record<string, string>[]) {
      const answer = await call(server, method, path, {
        headers,
        ...(method === "POST" ? { body: {} } : {}),
      });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe("OperatorKeyRequired");
    }
  });

  it("shows the whole catalog: publishers, offers, plans, prices, seats, dimensions, audiences, stop-sell", async () => {
    await call(server, "POST", "/partner/v1/offers/crm/plans/team/stop-sell", {
      headers: asOperatorFor(server, "adatum"),
    });
    const answer = await call(server, "GET", "/operator/v1/catalog", { headers: asOperator(server) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ source: "file", file: "seed.json" });
    expect(answer.body.publishers.map((publisher: { id: string }) => publisher.id)).toEqual([
      "adatum",
      "contoso",
    ]);
    const contoso = answer.body.publishers[1];
    expect(contoso).toMatchObject({
      id: "contoso",
      displayName: "contoso Inc.",
      tenantId: ids.tenant,
      appId: ids.app,
      landingPageUrl: `${server.url}/isv/landing`,
      webhookUrl: "https://isv.example/webhook",
    });
    const [analytics, crm] = contoso.offers;
    expect(analytics.pricingModel).toBe("flatRate");
    expect(analytics.plans[0].billingTerms).toEqual([
      { termUnit: "P1M", price: "10.00", currency: "USD", paymentOption: "upfront" },
      { termUnit: "P1Y", price: "100.00", currency: "USD", paymentOption: "monthly" },
    ]);
    expect(analytics.plans[0].meteredDimensions[0].includedQuantity).toEqual({
      P1M: "100",
      P1Y: "unlimited",
    });
    expect(analytics.plans[1]).toMatchObject({ id: "vip", private: true, audience: [ids.buyer] });
    expect(crm).toMatchObject({
      pricingModel: "perUser",
      plans: [{ id: "team", seats: { min: 1, max: 50 }, stopSell: false }],
    });
    expect(answer.body.publishers[0].offers[1].plans[0].stopSell).toBe(true);
  });

  it("describes the catalog routes in /openapi.json", async () => {
    const answer = await call(server, "GET", "/openapi.json");
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.paths)).toEqual(
      expect.arrayContaining([
        "/partner/v1/offers",
        "/partner/v1/offers/{offerId}/plans/{planId}",
        "/partner/v1/technical-configuration",
        "/operator/v1/catalog",
        "/operator/v1/publishers",
      ]),
    );
  });

  it("lists publishers with their technical configuration", async () => {
    const answer = await call(server, "GET", "/operator/v1/publishers", { headers: asOperator(server) });
    expect(answer.status).toBe(200);
    expect(
      answer.body.publishers.map((publisher: { id: string; tenantId: string }) => [
        publisher.id,
        publisher.tenantId,
      ]),
    ).toEqual([
      ["adatum", ids.otherTenant],
      ["contoso", ids.tenant],
    ]);
  });

  it("creates a publisher with a generated client secret, which then works on /partner", async () => {
    const answer = await call(server, "POST", "/operator/v1/publishers", {
      headers: asOperator(server),
      body: {
        id: "northwind",
        displayName: "Northwind Traders",
        technicalConfiguration: {
          tenantId: newTenant.toUpperCase(),
          appId: newApp,
          landingPageUrl: `${baseUrlPlaceholder}/northwind/landing`,
          webhookUrl: "https://northwind.example/webhook",
        },
      },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.publisher).toEqual({
      id: "northwind",
      displayName: "Northwind Traders",
      tenantId: newTenant,
      appId: newApp,
      landingPageUrl: `${server.url}/northwind/landing`,
      webhookUrl: "https://northwind.example/webhook",
    });
    expect(answer.body.clientSecret).toMatch(/^sps~/);
    const secrets = await server.handle.database.db
      .selectFrom("publisher_secrets")
      .select("secret_hash")
      .where("publisher_id", "=", "northwind")
      .execute();
    expect(secrets).toHaveLength(1);
    const offers = await call(server, "GET", "/partner/v1/offers", {
      headers: asOperatorFor(server, "northwind"),
    });
    expect(offers.body).toEqual({ offers: [] });
  });

  it("creates a publisher with the credentials it is given, returning no secret", async () => {
    const answer = await call(server, "POST", "/operator/v1/publishers", {
      headers: asOperator(server),
      body: {
        id: "litware",
        technicalConfiguration: {
          tenantId: "0d0d0d0d-0000-4000-8000-000000000002",
          appId: newApp,
          landingPageUrl: "https://litware.example/landing",
          webhookUrl: "https://litware.example/webhook",
        },
        credentials: { clientSecrets: ["litware-secret-0123456789"], certificates: [rsaPublicKeyPem()] },
      },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.clientSecret).toBeUndefined();
    expect(answer.body.publisher.displayName).toBe("litware");
    const certificates = await server.handle.database.db
      .selectFrom("publisher_certificates")
      .select(["x5t", "public_key_pem"])
      .where("publisher_id", "=", "litware")
      .execute();
    expect(certificates).toEqual([
      { x5t: null, public_key_pem: expect.stringContaining("BEGIN PUBLIC KEY") },
    ]);
  });

  it("answers 409 for a taken publisher id or app registration", async () => {
    const technicalConfiguration = {
      tenantId: ids.tenant,
      appId: ids.app,
      landingPageUrl: "https://x.example/landing",
      webhookUrl: "https://x.example/webhook",
    };
    const takenId = await call(server, "POST", "/operator/v1/publishers", {
      headers: asOperator(server),
      body: {
        id: "contoso",
        technicalConfiguration: { ...technicalConfiguration, appId: "0f0f0f0f-0000-4000-8000-000000000001" },
      },
    });
    expect(takenId.status).toBe(409);
    expect(takenId.body.error.target).toBe("body.id");
    const takenApp = await call(server, "POST", "/operator/v1/publishers", {
      headers: asOperator(server),
      body: { id: "copycat", technicalConfiguration },
    });
    expect(takenApp.status).toBe(409);
    expect(takenApp.body.error.target).toBe("body.technicalConfiguration.appId");
  });

  it("lists every broken rule of a new publisher", async () => {
    const answer = await call(server, "POST", "/operator/v1/publishers", {
      headers: asOperator(server),
      body: {
        id: "Bad Id",
        technicalConfiguration: {
          tenantId: "x",
          appId: newApp,
          landingPageUrl: "ftp://x",
          webhookUrl: "https://x.example",
        },
        credentials: { clientSecrets: ["short"] },
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((detail: { target: string }) => detail.target)).toEqual([
      "body.id",
      "body.technicalConfiguration.tenantId",
      "body.technicalConfiguration.landingPageUrl",
      "body.credentials.clientSecrets[0]",
    ]);
  });
});
