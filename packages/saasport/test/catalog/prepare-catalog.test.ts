import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { demoCredentials as credentialsOf, prepareCatalog } from "../../src/catalog/prepare-catalog.js";
import { createCatalogReader } from "../../src/catalog/repository.js";
import { createCatalogStore } from "../../src/catalog/storage/store.js";
import { CatalogValidationError } from "../../src/catalog/validation/issues.js";
import { databaseKinds } from "../support/databases.js";
import { validCatalog } from "./support/catalog-builders.js";
import {
  catalogRows,
  connectAgain,
  type MigratedDatabase,
  openMigratedDatabase,
} from "./support/database.js";
import { demo } from "./support/demo-ids.js";

const directory = mkdtempSync(join(tmpdir(), "saasport-prepare-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const catalogFile = join(directory, "catalog.yaml");
writeFileSync(catalogFile, stringify(validCatalog()));

const baseUrl = "http://127.0.0.1:4680";
const noFile = { catalogFile: undefined, demoCatalog: true };
const demoCredentials = [
  {
    publisherId: "contoso",
    tenantId: demo.contoso.tenantId,
    clientId: demo.contoso.appId,
    clientSecret: demo.contoso.secret,
  },
  {
    publisherId: "adatum",
    tenantId: demo.adatum.tenantId,
    clientId: demo.adatum.appId,
    clientSecret: demo.adatum.secret,
  },
];

describe.each(databaseKinds)("preparing the catalog on start, on %s", (kind) => {
  let database: MigratedDatabase;
  beforeEach(async () => {
    database = await openMigratedDatabase(kind);
  });
  afterEach(async () => database?.dispose());
  const prepare = (
    settings: { catalogFile: string | undefined; demoCatalog: boolean },
    now: Date,
    url = baseUrl,
  ) => prepareCatalog({ db: database.db, settings, baseUrl: url, now });

  it("loads the demo catalog into a new data directory and reports its credentials", async () => {
    const prepared = await prepare(noFile, new Date("2026-05-01T00:00:00Z"));
    expect(prepared).toMatchObject({ demo: true, source: { kind: "demo" } });
    expect(await credentialsOf(database.db, prepared)).toEqual(demoCredentials);
    expect(prepared.changes).toBeGreaterThan(0);
  });

  it("keeps what is there on later starts, still in demo mode", async () => {
    await prepare(noFile, new Date("2026-05-01T00:00:00Z"));
    const store = createCatalogStore(database.db);
    const starter = await store.getPlan("contoso", "contoso-analytics", "starter");
    if (!starter) throw new Error("missing demo plan");
    await store.updatePlan(
      { ...starter, displayName: "Changed through the API" },
      new Date("2026-05-01T12:00:00Z"),
    );
    const before = await catalogRows(database.db);
    const later = await prepare(noFile, new Date("2026-05-02T00:00:00Z"));
    expect(later).toEqual({ demo: true, source: { kind: "demo" }, changes: 0 });
    expect(await credentialsOf(database.db, later)).toEqual(demoCredentials);
    expect(await catalogRows(database.db)).toEqual(before);
  });

  it("moves URLs written with the SAASPORT_URL placeholder to a new base URL, but not URLs changed since", async () => {
    await prepare(noFile, new Date("2026-05-01T00:00:00Z"));
    const store = createCatalogStore(database.db);
    const adatum = await store.getPublisher("adatum");
    if (!adatum) throw new Error("missing demo publisher");
    await store.updatePublisher(
      { ...adatum, webhookUrl: "https://adatum.example/hook" },
      new Date("2026-05-01T12:00:00Z"),
    );
    await prepare(noFile, new Date("2026-05-02T00:00:00Z"), "http://127.0.0.1:5000");
    const reader = createCatalogReader(database.db);
    expect(await reader.getPublisher("contoso")).toMatchObject({
      landingPageUrl: "http://127.0.0.1:5000/demo-isv/contoso/landing",
      webhookUrl: "http://127.0.0.1:5000/demo-isv/contoso/webhook",
    });
    expect(await reader.getPublisher("adatum")).toMatchObject({
      landingPageUrl: "http://127.0.0.1:5000/demo-isv/adatum/landing",
      webhookUrl: "https://adatum.example/hook",
    });
  });

  it("applies a catalog file instead, taking the demo off sale and revoking its secrets", async () => {
    await prepare(noFile, new Date("2026-05-01T00:00:00Z"));
    const now = new Date("2026-05-02T00:00:00Z");
    const prepared = await prepare({ catalogFile, demoCatalog: true }, now);
    expect(prepared).toMatchObject({
      demo: false,
      source: { kind: "file", file: catalogFile },
    });
    expect(await credentialsOf(database.db, prepared)).toEqual([]);
    const reader = createCatalogReader(database.db);
    expect(await reader.getPublisher("contoso")).toMatchObject({
      tenantId: validCatalog().publishers[0].technicalConfiguration.tenantId,
    });
    expect((await reader.listPlans("adatum", "adatum-backup")).every((plan) => plan.isStopSell)).toBe(true);
    const adatumSecrets = await database.db
      .selectFrom("publisher_secrets")
      .select("revoked_at")
      .where("publisher_id", "=", "adatum")
      .execute();
    expect(adatumSecrets).toEqual([{ revoked_at: now.toISOString() }]);
    const again = await prepare({ catalogFile, demoCatalog: true }, new Date("2026-05-03T00:00:00Z"));
    expect(again.changes).toBe(0);
    expect((await prepare(noFile, new Date("2026-05-04T00:00:00Z"))).demo).toBe(false);
  });

  it.runIf(kind === "postgres")("loads the demo once when several processes start together", async () => {
    const others = await Promise.all([1, 2, 3].map(() => connectAgain(database)));
    try {
      const results = await Promise.all(
        [database.db, ...others.map((other) => other.db)].map((db) =>
          prepareCatalog({ db, settings: noFile, baseUrl, now: new Date("2026-05-01T00:00:00Z") }),
        ),
      );
      expect(results.every((result) => result.demo)).toBe(true);
      expect(results.filter((result) => result.changes > 0)).toHaveLength(1);
      const secrets = await database.db.selectFrom("publisher_secrets").select("publisher_id").execute();
      expect(secrets).toHaveLength(2);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });

  it("starts with an empty catalog when the demo catalog is switched off", async () => {
    const prepared = await prepare(
      { catalogFile: undefined, demoCatalog: false },
      new Date("2026-05-01T00:00:00Z"),
    );
    expect(prepared).toEqual({ demo: false, source: undefined, changes: 0 });
    expect(await credentialsOf(database.db, prepared)).toEqual([]);
    expect(await createCatalogReader(database.db).getPublisher("contoso")).toBeUndefined();
  });

  it("refuses an invalid catalog file without touching the database", async () => {
    const broken = join(directory, `broken-${kind}.json`);
    const document = validCatalog();
    document.publishers[0].offers[0].plans[0].billingTerms = [];
    writeFileSync(broken, JSON.stringify(document));
    await prepare(noFile, new Date("2026-05-01T00:00:00Z"));
    const before = await catalogRows(database.db);
    await expect(
      prepare({ catalogFile: broken, demoCatalog: true }, new Date("2026-05-02T00:00:00Z")),
    ).rejects.toThrow(CatalogValidationError);
    expect(await catalogRows(database.db)).toEqual(before);
  });
});
