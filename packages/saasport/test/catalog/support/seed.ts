import { applyCatalog } from "../../../src/catalog/apply/apply-catalog.js";
import { readCatalogText } from "../../../src/catalog/catalog-file.js";
import type { TestServer } from "../../support/server.js";
import { ids, publisher, type RawDocument } from "./catalog-builders.js";

/** Two publishers with the same offer ids (analytics, crm), so isolation between them shows. */
export const seeded = {
  contoso: { id: "contoso", tenantId: ids.tenant, appId: ids.app, secret: "contoso-secret-0123456789" },
  adatum: {
    id: "adatum",
    tenantId: ids.otherTenant,
    appId: ids.otherApp,
    secret: "adatum-secret-0123456789",
  },
} as const;

export function seedDocument(): RawDocument {
  return {
    publishers: [
      publisher("contoso", seeded.contoso.tenantId, seeded.contoso.appId),
      publisher("adatum", seeded.adatum.tenantId, seeded.adatum.appId),
    ],
  };
}

export async function seedCatalog(server: TestServer, document: RawDocument = seedDocument()): Promise<void> {
  await applyCatalog({
    db: server.handle.database.db,
    document: readCatalogText(JSON.stringify(document), "json", "seed.json"),
    source: { kind: "file", file: "seed.json" },
    label: "seed.json",
    baseUrl: server.url,
    now: new Date(),
  });
}
