import type { Kysely } from "kysely";
import { cachedCatalogReader } from "../catalog/cached-reader.js";
import { type CatalogReader, createCatalogReader } from "../catalog/repository.js";
import type { Database } from "../db/tables.js";

/** What identity needs to know about publishers; the catalog owns them. */
export type PublisherDirectory = Pick<
  CatalogReader,
  "getPublisher" | "findPublisherByApp" | "hasTenant" | "onlyPublisher"
>;

export function createPublisherDirectory(db: Kysely<Database>): PublisherDirectory {
  return cachedCatalogReader(createCatalogReader(db));
}
