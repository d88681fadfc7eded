import { readFileSync } from "node:fs";

type Json = Record<string, unknown>;

interface OfficialDocument {
  paths: Record<string, Json>;
  components: { schemas: Record<string, Json>; securitySchemes?: Record<string, Json> };
}

/** Microsoft's official files, shipped unchanged in the package's openapi/ folder. */
function load(relative: string): OfficialDocument {
  return JSON.parse(
    readFileSync(new URL(`../../openapi/${relative}`, import.meta.url), "utf8"),
  ) as OfficialDocument;
}

/**
 * The official SaaS and Metering paths, mounted under /api as Saasport serves them. Both files define
 * a component `ApiVersion` with the same meaning, so merging them by name is safe.
 */
export function officialMarketplacePaths(): { paths: Record<string, Json>; schemas: Record<string, Json> } {
  const documents = [
    load("Microsoft.Marketplace.SaaS/2018-08-31/saasapi.v2.json"),
    load("Microsoft.Marketplace.Metering/2018-08-31/meteringapi.v1.json"),
  ];
  const paths: Record<string, Json> = {};
  const schemas: Record<string, Json> = {};
  for (const document of documents) {
    for (const [path, item] of Object.entries(document.paths)) {
      const operations: Json = {};
      for (const [method, operation] of Object.entries(item)) {
        operations[method] = {
          ...(operation as Json),
          tags: ["Marketplace API (Microsoft's official description)"],
        };
      }
      paths[`/api${path}`] = operations;
    }
    Object.assign(schemas, document.components.schemas);
  }
  return { paths, schemas };
}
