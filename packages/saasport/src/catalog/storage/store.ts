import type { Insertable, Kysely } from "kysely";
import type { Database, OfferTable, PlanTable, PublisherTable } from "../../db/tables.js";
import { bool, toStored } from "../../db/time.js";
import { catalogChanged } from "../cached-reader.js";
import type { Offer, Plan, Publisher } from "../model.js";
import {
  type CatalogReader,
  createCatalogReader,
  offerFromRow,
  planFromRow,
  publisherFromRow,
} from "../repository.js";
import { dialectOf } from "./transaction.js";

/** A catalog entry with its display position. */
export interface Positioned<T> {
  value: T;
  sortOrder: number;
}

/** Everything in the catalog tables, for whole-catalog work (applying a file, the operator view). */
export interface CatalogSnapshot {
  publishers: Publisher[];
  offers: Positioned<Offer>[];
  plans: Positioned<Plan>[];
}

/** Read and write access to the catalog's own tables (publishers, offers, plans). */
export interface CatalogStore extends Omit<CatalogReader, "listPlans"> {
  snapshot(): Promise<CatalogSnapshot>;
  listPublishers(): Promise<Publisher[]>;
  insertPublisher(publisher: Publisher, now: Date): Promise<void>;
  updatePublisher(publisher: Publisher, now: Date): Promise<void>;
  listOffers(publisherId: string): Promise<Offer[]>;
  /** Without a sort order, the offer goes after the publisher's other offers. */
  insertOffer(offer: Offer, now: Date, sortOrder?: number): Promise<void>;
  updateOffer(offer: Offer, now: Date, sortOrder?: number): Promise<void>;
  listPlans(publisherId: string, offerId?: string): Promise<Plan[]>;
  /** Without a sort order, the plan goes after the offer's other plans. */
  insertPlan(plan: Plan, now: Date, sortOrder?: number): Promise<void>;
  updatePlan(plan: Plan, now: Date, sortOrder?: number): Promise<void>;
  /** Holds the offer's row until the transaction ends, so concurrent plan changes see each other (PostgreSQL). */
  lockOffer(publisherId: string, offerId: string): Promise<void>;
}

export function createCatalogStore(db: Kysely<Database>): CatalogStore {
  const dialect = dialectOf(db);
  const offersInOrder = () =>
    db
      .selectFrom("offers")
      .selectAll()
      .orderBy("publisher_id")
      .orderBy("sort_order")
      .orderBy("created_at")
      .orderBy("offer_id");
  const plansInOrder = () =>
    db
      .selectFrom("plans")
      .selectAll()
      .orderBy("publisher_id")
      .orderBy("offer_id")
      .orderBy("sort_order")
      .orderBy("created_at")
      .orderBy("plan_id");

  return {
    ...createCatalogReader(db),
    async snapshot() {
      const [publishers, offers, plans] = await Promise.all([
        db.selectFrom("publishers").selectAll().orderBy("id").execute(),
        offersInOrder().execute(),
        plansInOrder().execute(),
      ]);
      return {
        publishers: publishers.map(publisherFromRow),
        offers: offers.map((row) => ({ value: offerFromRow(row), sortOrder: row.sort_order })),
        plans: plans.map((row) => ({ value: planFromRow(row), sortOrder: row.sort_order })),
      };
    },
    async listPublishers() {
      const rows = await db.selectFrom("publishers").selectAll().orderBy("id").execute();
      return rows.map(publisherFromRow);
    },
    async insertPublisher(publisher, now) {
      catalogChanged();
      await db.insertInto("publishers").values(publisherRow(publisher, now)).execute();
    },
    async updatePublisher(publisher, now) {
      catalogChanged();
      const { id, created_at: _created, ...changes } = publisherRow(publisher, now);
      await db.updateTable("publishers").set(changes).where("id", "=", id).execute();
    },
    async listOffers(publisherId) {
      const rows = await offersInOrder().where("publisher_id", "=", publisherId).execute();
      return rows.map(offerFromRow);
    },
    async insertOffer(offer, now, sortOrder) {
      catalogChanged();
      const position =
        sortOrder ??
        (await nextPosition(
          db
            .selectFrom("offers")
            .where("publisher_id", "=", offer.publisherId)
            .select(({ fn }) => fn.max("sort_order").as("last")),
        ));
      await db
        .insertInto("offers")
        .values(offerRow(offer, now, position))
        .execute();
    },
    async updateOffer(offer, now, sortOrder) {
      catalogChanged();
      const {
        publisher_id,
        offer_id,
        created_at: _created,
        sort_order,
        ...changes
      } = offerRow(offer, now, sortOrder ?? 0);
      await db
        .updateTable("offers")
        .set(sortOrder === undefined ? changes : { ...changes, sort_order })
        .where("publisher_id", "=", publisher_id)
        .where("offer_id", "=", offer_id)
        .execute();
    },
    async listPlans(publisherId, offerId) {
      let query = plansInOrder().where("publisher_id", "=", publisherId);
      if (offerId !== undefined) query = query.where("offer_id", "=", offerId);
      return (await query.execute()).map(planFromRow);
    },
    async insertPlan(plan, now, sortOrder) {
      catalogChanged();
      const position =
        sortOrder ??
        (await nextPosition(
          db
            .selectFrom("plans")
            .where("publisher_id", "=", plan.publisherId)
            .where("offer_id", "=", plan.offerId)
            .select(({ fn }) => fn.max("sort_order").as("last")),
        ));
      await db
        .insertInto("plans")
        .values(planRow(plan, now, position))
        .execute();
    },
    async updatePlan(plan, now, sortOrder) {
      catalogChanged();
      const {
        publisher_id,
        offer_id,
        plan_id,
        created_at: _created,
        sort_order,
        ...changes
      } = planRow(plan, now, sortOrder ?? 0);
      await db
        .updateTable("plans")
        .set(sortOrder === undefined ? changes : { ...changes, sort_order })
        .where("publisher_id", "=", publisher_id)
        .where("offer_id", "=", offer_id)
        .where("plan_id", "=", plan_id)
        .execute();
    },
    async lockOffer(publisherId, offerId) {
      if (dialect !== "postgres") return;
      await db
        .selectFrom("offers")
        .select("offer_id")
        .where("publisher_id", "=", publisherId)
        .where("offer_id", "=", offerId)
        .forUpdate()
        .execute();
    },
  };
}

async function nextPosition(query: {
  executeTakeFirst(): Promise<{ last: number | null } | undefined>;
}): Promise<number> {
  const row = await query.executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

function publisherRow(publisher: Publisher, now: Date): Insertable<PublisherTable> {
  return {
    id: publisher.id,
    display_name: publisher.displayName,
    tenant_id: publisher.tenantId.toLowerCase(),
    app_id: publisher.appId.toLowerCase(),
    landing_page_url: publisher.landingPageUrl,
    webhook_url: publisher.webhookUrl,
    created_at: toStored(now),
    updated_at: toStored(now),
  };
}

function offerRow(
  offer: Offer,
  now: Date,
  sortOrder: number,
): Insertable<OfferTable> & { sort_order: number } {
  return {
    publisher_id: offer.publisherId,
    offer_id: offer.offerId,
    display_name: offer.displayName,
    description: offer.description,
    pricing_model: offer.pricingModel,
    is_preview: bool(offer.isPreview),
    sort_order: sortOrder,
    created_at: toStored(now),
    updated_at: toStored(now),
  };
}

function planRow(plan: Plan, now: Date, sortOrder: number): Insertable<PlanTable> & { sort_order: number } {
  return {
    publisher_id: plan.publisherId,
    offer_id: plan.offerId,
    plan_id: plan.planId,
    display_name: plan.displayName,
    description: plan.description,
    is_private: bool(plan.isPrivate),
    audience: JSON.stringify(plan.audience),
    min_quantity: plan.minQuantity,
    max_quantity: plan.maxQuantity,
    has_free_trial: bool(plan.hasFreeTrial),
    is_stop_sell: bool(plan.isStopSell),
    markets: JSON.stringify(plan.markets),
    billing_terms: JSON.stringify(plan.billingTerms),
    metering_dimensions: JSON.stringify(plan.meteringDimensions),
    allow_extended_terms: bool(plan.allowExtendedTerms ?? false),
    auto_activation: bool(plan.autoActivation ?? false),
    sort_order: sortOrder,
    created_at: toStored(now),
    updated_at: toStored(now),
  };
}
