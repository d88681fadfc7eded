import type { Kysely, Selectable } from "kysely";
import type { Database, OfferTable, PlanTable, PublisherTable } from "../db/tables.js";
import { isTrue } from "../db/time.js";
import type { Offer, Plan, Publisher } from "./model.js";

export function publisherFromRow(row: Selectable<PublisherTable>): Publisher {
  return {
    id: row.id,
    displayName: row.display_name,
    tenantId: row.tenant_id,
    appId: row.app_id,
    landingPageUrl: row.landing_page_url,
    webhookUrl: row.webhook_url,
  };
}

export function offerFromRow(row: Selectable<OfferTable>): Offer {
  return {
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    displayName: row.display_name,
    description: row.description,
    pricingModel: row.pricing_model,
    isPreview: isTrue(row.is_preview),
  };
}

export function planFromRow(row: Selectable<PlanTable>): Plan {
  return {
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    planId: row.plan_id,
    displayName: row.display_name,
    description: row.description,
    isPrivate: isTrue(row.is_private),
    audience: JSON.parse(row.audience),
    minQuantity: row.min_quantity,
    maxQuantity: row.max_quantity,
    hasFreeTrial: isTrue(row.has_free_trial),
    isStopSell: isTrue(row.is_stop_sell),
    markets: JSON.parse(row.markets),
    billingTerms: JSON.parse(row.billing_terms),
    meteringDimensions: JSON.parse(row.metering_dimensions),
    allowExtendedTerms: isTrue(row.allow_extended_terms),
    autoActivation: isTrue(row.auto_activation),
  };
}

/** Read access to the catalog for other modules (subscriptions, purchases, identity). */
export interface CatalogReader {
  getPublisher(publisherId: string): Promise<Publisher | undefined>;
  findPublisherByApp(tenantId: string, appId: string): Promise<Publisher | undefined>;
  /** True when some publisher is registered in the tenant. */
  hasTenant(tenantId: string): Promise<boolean>;
  /** The publisher when exactly one exists. */
  onlyPublisher(): Promise<Publisher | undefined>;
  getOffer(publisherId: string, offerId: string): Promise<Offer | undefined>;
  /** Offers with this id across publishers (offer ids are unique per publisher only). */
  findOffersById(offerId: string): Promise<Offer[]>;
  getPlan(publisherId: string, offerId: string, planId: string): Promise<Plan | undefined>;
  listPlans(publisherId: string, offerId: string): Promise<Plan[]>;
}

export function createCatalogReader(db: Kysely<Database>): CatalogReader {
  return {
    async getPublisher(publisherId) {
      const row = await db
        .selectFrom("publishers")
        .selectAll()
        .where("id", "=", publisherId)
        .executeTakeFirst();
      return row && publisherFromRow(row);
    },
    async findPublisherByApp(tenantId, appId) {
      const row = await db
        .selectFrom("publishers")
        .selectAll()
        .where("tenant_id", "=", tenantId.toLowerCase())
        .where("app_id", "=", appId.toLowerCase())
        .executeTakeFirst();
      return row && publisherFromRow(row);
    },
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
      const rows = await db.selectFrom("publishers").selectAll().orderBy("id").limit(2).execute();
      const [only] = rows;
      return rows.length === 1 && only ? publisherFromRow(only) : undefined;
    },
    async getOffer(publisherId, offerId) {
      const row = await db
        .selectFrom("offers")
        .selectAll()
        .where("publisher_id", "=", publisherId)
        .where("offer_id", "=", offerId)
        .executeTakeFirst();
      return row && offerFromRow(row);
    },
    async findOffersById(offerId) {
      const rows = await db.selectFrom("offers").selectAll().where("offer_id", "=", offerId).execute();
      return rows.map(offerFromRow);
    },
    async getPlan(publisherId, offerId, planId) {
      const row = await db
        .selectFrom("plans")
        .selectAll()
        .where("publisher_id", "=", publisherId)
        .where("offer_id", "=", offerId)
        .where("plan_id", "=", planId)
        .executeTakeFirst();
      return row && planFromRow(row);
    },
    async listPlans(publisherId, offerId) {
      const rows = await db
        .selectFrom("plans")
        .selectAll()
        .where("publisher_id", "=", publisherId)
        .where("offer_id", "=", offerId)
        .orderBy("sort_order")
        .orderBy("created_at")
        .orderBy("plan_id")
        .execute();
      return rows.map(planFromRow);
    },
  };
}
