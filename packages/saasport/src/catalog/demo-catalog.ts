import { fileURLToPath } from "node:url";
import type { CatalogDocument } from "./to-domain.js";

/**
 * The shipped demo catalog. This file sits two levels below the package root both as source
 * (src/catalog/) and compiled (dist/catalog/), so the same relative URL finds catalogs/demo.yaml.
 */
export const demoCatalogFile = fileURLToPath(new URL("../../catalogs/demo.yaml", import.meta.url));

export async function loadDemoCatalog(): Promise<CatalogDocument> {
  const { loadCatalogFile } = await import("./catalog-file.js");
  return loadCatalogFile(demoCatalogFile);
}
