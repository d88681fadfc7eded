import { existsSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyCatalog } from "../../src/catalog/apply/apply-catalog.js";
import { demoCatalogFile, loadDemoCatalog } from "../../src/catalog/demo-catalog.js";
import { createCatalogReader } from "../../src/catalog/repository.js";
import { databaseKinds } from "../support/databases.js";
import { catalogRows, type MigratedDatabase, openMigratedDatabase } from "./support/database.js";
import { demo } from "./support/demo-ids.js";

describe("the demo catalog", () => {
  it("ships with the package, beside src/ and dist/", () => {
    expect(demoCatalogFile.replaceAll("\\", "/")).toMatch(/packages\/saasport\/catalogs\/demo\.yaml$/);
    expect(existsSync(demoCatalogFile)).toBe(true);
  });

  it("has the documented publishers, app registrations and secrets", async () => {
    const { publishers } = await loadDemoCatalog();
    expect(
      publishers.map(
        ({ id, tenantId, appId, clientSecrets, landingPageUrlTemplate, webhookUrlTemplate }) => ({
          id,
          tenantId,
          appId,
          clientSecrets,
          landingPageUrlTemplate,
          webhookUrlTemplate,
        }),
      ),
    ).toEqual(
      (["contoso", "adatum"] as const).map((id) => ({
        id,
        tenantId: demo[id].tenantId,
        appId: demo[id].appId,
        clientSecrets: [demo[id].secret],
        landingPageUrlTemplate: `\${SAASPORT_URL}/demo-isv/${id}/landing`,
        webhookUrlTemplate: `\${SAASPORT_URL}/demo-isv/${id}/webhook`,
      })),
    );
  });

  it("shows every kind of plan the marketplace sells", async () => {
    const { publishers } = await loadDemoCatalog();
    const offers = publishers.flatMap((publisher) => publisher.offers);
    const plans = offers.flatMap(({ plans: offerPlans }) => offerPlans);
    const terms = plans.flatMap((plan) =>
      plan.billingTerms.map((term) => `${term.termUnit}/${term.paymentOption}`),
    );

    const metered = offers.find(
      ({ offer }) => offer.pricingModel === "flatRate" && offer.offerId === "contoso-analytics",
    );
    expect(
      metered?.plans.some((plan) =>
        plan.meteringDimensions.some((d) => Object.keys(d.includedQuantity).length > 0),
      ),
    ).toBe(true);
    const perUser = offers.find(({ offer }) => offer.pricingModel === "perUser");
    expect(perUser?.plans.every((plan) => plan.minQuantity !== null && plan.maxQuantity !== null)).toBe(true);
    expect(terms).toEqual(
      expect.arrayContaining(["P1M/upfront", "P1Y/upfront", "P1Y/monthly", "P3Y/annual"]),
    );
    expect(plans.some((plan) => plan.hasFreeTrial)).toBe(true);
    expect(plans.filter((plan) => plan.isPrivate).map((plan) => plan.audience)).toEqual([
      [demo.fabrikamTenant],
    ]);
    expect(plans.some((plan) => plan.isStopSell)).toBe(true);
    expect(offers.some(({ offer }) => offer.isPreview)).toBe(true);
    expect(plans.filter((plan) => plan.allowExtendedTerms).map((plan) => plan.planId)).toEqual([
      "enterprise",
    ]);
  });
});

describe.each(databaseKinds)("the demo catalog on %s", (kind) => {
  let database: MigratedDatabase;
  beforeEach(async () => {
    database = await openMigratedDatabase(kind);
  });
  afterEach(async () => database?.dispose());

  it("applies, and applies again without changes", async () => {
    const document = await loadDemoCatalog();
    const options = {
      db: database.db,
      document,
      source: { kind: "demo" } as const,
      label: "demo",
      baseUrl: "http://127.0.0.1:4680",
    };
    await applyCatalog({ ...options, now: new Date("2026-05-01T00:00:00Z") });
    const reader = createCatalogReader(database.db);
    const contoso = await reader.findPublisherByApp(demo.contoso.tenantId, demo.contoso.appId);
    expect(contoso?.landingPageUrl).toBe("http://127.0.0.1:4680/demo-isv/contoso/landing");
    expect((await reader.listPlans("contoso", "contoso-analytics")).map((plan) => plan.planId)).toEqual([
      "starter",
      "professional",
      "fabrikam-enterprise",
      "legacy",
    ]);
    const before = await catalogRows(database.db);
    const again = await applyCatalog({ ...options, now: new Date("2026-05-02T00:00:00Z") });
    expect(again.changes).toBe(0);
    expect(await catalogRows(database.db)).toEqual(before);
  });
});
