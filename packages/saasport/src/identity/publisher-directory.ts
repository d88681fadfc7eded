import type { Kysely } from "kysely";
import type { Publisher } from "../catalog/model.js";
import { createCatalogReader } from "../catalog/repository.js";
import type { Database } from "../db/tables.js";

/** What identity needs to know about publishers; the catalog owns them. */
export interface PublisherDirectory {
  getPublisher(publisherId: string): Promise<Publisher | undefined>;
  findPublisherByApp(tenantId: string, appId: string): Promise<Publisher | undefined>;
  /** True when some publisher is registered in the tenant (decides AADSTS90002 against 700016). */
  hasTenant(tenantId: string): Promise<boolean>;
  /** The publisher when exactly one exists (no-auth development mode). */
  onlyPublisher(): Promise<Publisher | undefined>;
}

export function createPublisherDirectory(db: Kysely<Database>): PublisherDirectory {
  const catalog = createCatalogReader(db);
  return {
    getPublisher: (publisherId) => catalog.getPublisher(publisherId),
    findPublisherByApp: (tenantId, appId) => catalog.findPublisherByApp(tenantId, appId),
    // The catalog reader has no tenant or count queries yet; these two read-only lookups belong there.
    async hasTenant(tenantId) {
      const row = await db
        .selectFrom("publishers")
        .select("id")
        .where("tenant_id", "=", tenantId.toLowerCase())
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
    async onlyPublisher() {
      const rows = await db.selectFrom("publishers").select("id").orderBy("id").limit(2).execute();
      const [only] = rows;
      return rows.length === 1 && only ? catalog.getPublisher(only.id) : undefined;
    },
  };
}
