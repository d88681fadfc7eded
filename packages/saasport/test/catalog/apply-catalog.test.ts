import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { generate } from "selfsigned";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyCatalog } from "../../src/catalog/apply/apply-catalog.js";
import { readCatalogText } from "../../src/catalog/catalog-file.js";
import { createCatalogReader } from "../../src/catalog/repository.js";
import { createCatalogStore } from "../../src/catalog/storage/store.js";
import { CatalogValidationError } from "../../src/catalog/validation/issues.js";
import type { Database } from "../../src/db/tables.js";
import { databaseKinds } from "../support/databases.js";
import { flatRatePlan, ids, publisher, type RawDocument, validCatalog } from "./support/catalog-builders.js";
import { catalogRows, type MigratedDatabase, openMigratedDatabase } from "./support/database.js";

const baseUrl = "http://127.0.0.1:4680";
const t0 = new Date("2026-05-01T10:00:00.000Z");
const t1 = new Date("2026-05-02T10:00:00.000Z");
const t2 = new Date("2026-05-03T10:00:00.000Z");

describe.each(databaseKinds)("applying a catalog on %s", (kind) => {
  let database: MigratedDatabase;
  let db: Kysely<Database>;
  beforeEach(async () => {
    database = await openMigratedDatabase(kind);
    db = database.db;
  });
  afterEach(async () => database?.dispose());

  const apply = (document: RawDocument, now: Date, url = baseUrl) =>
    applyCatalog({
      db,
      document: readCatalogText(JSON.stringify(document), "json", "test.json"),
      source: { kind: "file", file: "test.json" },
      label: "test.json",
      baseUrl: url,
      now,
    });

  it("writes publishers, offers and plans, with ids lowercased and the base URL filled in", async () => {
    const document = validCatalog();
    document.publishers[0].technicalConfiguration.tenantId = ids.tenant.toUpperCase();
    document.publishers[0].technicalConfiguration.appId = ids.app.toUpperCase();
    const result = await apply(document, t0);
    expect(result.changes).toBeGreaterThan(0);

    const reader = createCatalogReader(db);
    const contoso = await reader.findPublisherByApp(ids.tenant, ids.app);
    expect(contoso).toEqual({
      id: "contoso",
      displayName: "contoso Inc.",
      tenantId: ids.tenant,
      appId: ids.app,
      landingPageUrl: `${baseUrl}/isv/landing`,
      webhookUrl: "https://isv.example/webhook",
    });
    expect((await reader.getOffer("contoso", "crm"))?.pricingModel).toBe("perUser");
    expect((await reader.listPlans("contoso", "analytics")).map((plan) => plan.planId)).toEqual([
      "basic",
      "vip",
    ]);
    const basic = await reader.getPlan("contoso", "analytics", "basic");
    expect(basic?.billingTerms).toEqual([
      { termUnit: "P1M", price: "10.00", currency: "USD", paymentOption: "upfront" },
      { termUnit: "P1Y", price: "100.00", currency: "USD", paymentOption: "monthly" },
    ]);
    expect(basic?.meteringDimensions[0]?.includedQuantity).toEqual({ P1M: "100", P1Y: "unlimited" });
    expect((await reader.getPlan("contoso", "crm", "team"))?.minQuantity).toBe(1);
  });

  it("keeps plans in the file's order, also after reordering", async () => {
    const document = validCatalog();
    document.publishers[0].offers[0].plans = [
      flatRatePlan("zeta"),
      flatRatePlan("alpha"),
      flatRatePlan("mid"),
    ];
    await apply(document, t0);
    const reader = createCatalogReader(db);
    expect((await reader.listPlans("contoso", "analytics")).map((plan) => plan.planId)).toEqual([
      "zeta",
      "alpha",
      "mid",
    ]);
    document.publishers[0].offers[0].plans.reverse();
    await apply(document, t1);
    expect((await reader.listPlans("contoso", "analytics")).map((plan) => plan.planId)).toEqual([
      "mid",
      "alpha",
      "zeta",
    ]);
  });

  it("stores client secrets only as hashes, and certificates with their thumbprints", async () => {
    const { cert } = await generate([{ name: "commonName", value: "contoso-app" }], { keySize: 2048 });
    const document = validCatalog();
    document.publishers[0].credentials.certificates = [cert];
    await apply(document, t0);
    const secrets = await db.selectFrom("publisher_secrets").selectAll().execute();
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.secret_hash).toBe(
      createHash("sha256").update("contoso-secret-0123456789").digest("hex"),
    );
    expect(JSON.stringify(await catalogRows(db))).not.toContain("contoso-secret-0123456789");
    const [certificate] = await db.selectFrom("publisher_certificates").selectAll().execute();
    const der = Buffer.from(cert.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    expect(certificate?.x5t).toBe(createHash("sha1").update(der).digest("base64url"));
    expect(certificate?.x5t_s256).toBe(createHash("sha256").update(der).digest("base64url"));
    expect(certificate?.public_key_pem).toContain("BEGIN CERTIFICATE");
  });

  it("changes nothing when the same catalog is applied again", async () => {
    const { cert } = await generate([{ name: "commonName", value: "contoso-app" }], { keySize: 2048 });
    const document = validCatalog();
    document.publishers[0].credentials.certificates = [cert];
    document.publishers.push(publisher("adatum", ids.otherTenant, ids.otherApp));
    await apply(document, t0);
    const before = await catalogRows(db);
    const again = await apply(document, t1);
    expect(again.changes).toBe(0);
    expect(await catalogRows(db)).toEqual(before);
  });

  it("updates only what changed, keeping creation times", async () => {
    const document = validCatalog();
    await apply(document, t0);
    document.publishers[0].offers[0].plans[0].billingTerms[0].price = "12.50";
    const result = await apply(document, t1);
    expect(result.changes).toBe(1);
    const rows = await db
      .selectFrom("plans")
      .select(["plan_id", "created_at", "updated_at"])
      .orderBy("plan_id")
      .execute();
    expect(rows.find((row) => row.plan_id === "basic")).toEqual({
      plan_id: "basic",
      created_at: t0.toISOString(),
      updated_at: t1.toISOString(),
    });
    expect(rows.find((row) => row.plan_id === "vip")?.updated_at).toBe(t0.toISOString());
    expect(
      (await createCatalogReader(db).getPlan("contoso", "analytics", "basic"))?.billingTerms[0]?.price,
    ).toBe("12.50");
  });

  it("stop-sells a plan removed from the file instead of deleting it, and resumes it when it returns", async () => {
    const document = validCatalog();
    await apply(document, t0);
    const removed = document.publishers[0].offers[0].plans.pop();
    expect((await apply(document, t1)).changes).toBe(1);
    const reader = createCatalogReader(db);
    expect((await reader.getPlan("contoso", "analytics", "vip"))?.isStopSell).toBe(true);
    document.publishers[0].offers[0].plans.push(removed);
    await apply(document, t2);
    expect((await reader.getPlan("contoso", "analytics", "vip"))?.isStopSell).toBe(false);
  });

  it("stop-sells the plans of a removed offer and publisher and revokes the publisher's credentials", async () => {
    const document = validCatalog();
    document.publishers.push(publisher("adatum", ids.otherTenant, ids.otherApp));
    await apply(document, t0);
    document.publishers.pop();
    document.publishers[0].offers.pop();
    await apply(document, t1);
    const plans = await db
      .selectFrom("plans")
      .select(["publisher_id", "offer_id", "plan_id", "is_stop_sell"])
      .execute();
    expect(plans).toHaveLength(6);
    for (const plan of plans) {
      const kept = plan.publisher_id === "contoso" && plan.offer_id === "analytics";
      expect(plan.is_stop_sell, `${plan.publisher_id}/${plan.offer_id}/${plan.plan_id}`).toBe(kept ? 0 : 1);
    }
    const secrets = await db
      .selectFrom("publisher_secrets")
      .select(["publisher_id", "revoked_at"])
      .orderBy("publisher_id")
      .execute();
    expect(secrets).toEqual([
      { publisher_id: "adatum", revoked_at: t1.toISOString() },
      { publisher_id: "contoso", revoked_at: null },
    ]);
  });

  it("revokes a secret or certificate removed from the file and registers a new one", async () => {
    const { cert } = await generate([{ name: "commonName", value: "contoso-app" }], { keySize: 2048 });
    const document = validCatalog();
    document.publishers[0].credentials.certificates = [cert];
    await apply(document, t0);
    document.publishers[0].credentials = { clientSecrets: ["contoso-rotated-secret-42"] };
    await apply(document, t1);
    const secrets = await db
      .selectFrom("publisher_secrets")
      .select(["secret_hash", "revoked_at"])
      .orderBy("created_at")
      .execute();
    expect(secrets.map((secret) => secret.revoked_at)).toEqual([t1.toISOString(), null]);
    const certificates = await db.selectFrom("publisher_certificates").select("revoked_at").execute();
    expect(certificates).toEqual([{ revoked_at: t1.toISOString() }]);
  });

  it("leaves plans and offers created through the Partner API alone", async () => {
    const document = validCatalog();
    await apply(document, t0);
    const store = createCatalogStore(db);
    const basic = await store.getPlan("contoso", "analytics", "basic");
    if (!basic) throw new Error("missing plan");
    await store.insertPlan({ ...basic, planId: "added-by-api" }, t1);
    await store.insertOffer(
      {
        publisherId: "contoso",
        offerId: "api-offer",
        displayName: "API",
        description: "",
        pricingModel: "flatRate",
        isPreview: false,
      },
      t1,
    );
    expect((await apply(document, t2)).changes).toBe(0);
    expect((await store.getPlan("contoso", "analytics", "added-by-api"))?.isStopSell).toBe(false);
    expect(await store.getOffer("contoso", "api-offer")).toBeDefined();
  });

  it.each([
    {
      name: "a pricing-model change on an offer with plans",
      change: (d: RawDocument) => {
        d.publishers[0].offers[1].pricingModel = "flatRate";
        delete d.publishers[0].offers[1].plans[0].seats;
      },
      path: "publishers[0].offers[1].pricingModel",
      rule: "offer.pricingModel.immutable",
    },
    {
      name: "a public plan turned private",
      change: (d: RawDocument) => {
        d.publishers[0].offers[0].plans[0].private = true;
        d.publishers[0].offers[0].plans[0].audience = [ids.buyer];
      },
      path: "publishers[0].offers[0].plans[0].private",
      rule: "plan.private.fromPublic",
    },
    {
      name: "an app registration another publisher owns",
      change: (d: RawDocument) => {
        d.publishers = [publisher("adatum", ids.tenant, ids.app)];
      },
      path: "publishers[0].technicalConfiguration.appId",
      rule: "publisher.app.taken",
    },
  ])("refuses $name and leaves the database as it was", async ({ change, path, rule }) => {
    const document = validCatalog();
    await apply(document, t0);
    const before = await catalogRows(db);
    change(document);
    const error = await apply(document, t1).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CatalogValidationError);
    expect((error as CatalogValidationError).issues.map((found) => `${found.path} ${found.rule}`)).toEqual([
      `${path} ${rule}`,
    ]);
    expect(await catalogRows(db)).toEqual(before);
  });

  it("allows a pricing-model change while the offer has no plans, and a private plan turned public", async () => {
    const document = validCatalog();
    document.publishers[0].offers[1].plans = [];
    await apply(document, t0);
    document.publishers[0].offers[1].pricingModel = "flatRate";
    document.publishers[0].offers[0].plans[1].private = false;
    delete document.publishers[0].offers[0].plans[1].audience;
    await apply(document, t1);
    const reader = createCatalogReader(db);
    expect((await reader.getOffer("contoso", "crm"))?.pricingModel).toBe("flatRate");
    expect((await reader.getPlan("contoso", "analytics", "vip"))?.isPrivate).toBe(false);
  });

  it("moves app registrations between publishers in one go", async () => {
    const document = {
      publishers: [
        publisher("contoso", ids.tenant, ids.app),
        publisher("adatum", ids.otherTenant, ids.otherApp),
      ],
    };
    await apply(document, t0);
    document.publishers[0].technicalConfiguration.appId = ids.otherApp;
    document.publishers[0].technicalConfiguration.tenantId = ids.otherTenant;
    document.publishers[1].technicalConfiguration.appId = ids.app;
    document.publishers[1].technicalConfiguration.tenantId = ids.tenant;
    await apply(document, t1);
    const reader = createCatalogReader(db);
    expect((await reader.findPublisherByApp(ids.tenant, ids.app))?.id).toBe("adatum");
    expect((await reader.findPublisherByApp(ids.otherTenant, ids.otherApp))?.id).toBe("contoso");
  });

  it("fills the SAASPORT_URL placeholder with the base URL of each apply", async () => {
    const document = validCatalog();
    await apply(document, t0, "http://127.0.0.1:4680");
    await apply(document, t1, "https://market.example");
    expect((await createCatalogReader(db).getPublisher("contoso"))?.landingPageUrl).toBe(
      "https://market.example/isv/landing",
    );
  });
});
