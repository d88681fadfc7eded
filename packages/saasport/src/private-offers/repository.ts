import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, PrivateOfferPlanTable, PrivateOfferTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import type { PrivateOffer, PrivatePlanPrice } from "./model.js";
import type { ValidPrivateOffer } from "./rules.js";

function planFromRow(row: Selectable<PrivateOfferPlanTable>): PrivatePlanPrice {
  if (row.absolute_price !== null) {
    return {
      planId: row.plan_id,
      kind: "absolute",
      absolutePrice: row.absolute_price,
      currency: row.currency ?? "",
      ...(row.dimension_prices === null
        ? {}
        : { dimensionPrices: JSON.parse(row.dimension_prices) as Record<string, string> }),
    };
  }
  return { planId: row.plan_id, kind: "discount", discountPercent: row.discount_percent ?? "" };
}

function offerFromRow(row: Selectable<PrivateOfferTable>, plans: PrivatePlanPrice[]): PrivateOffer {
  return {
    id: row.id,
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    name: row.name,
    customerTenantId: row.customer_tenant_id,
    audience: row.audience,
    acceptBy: row.accept_by,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    acceptedAt: row.accepted_at,
    withdrawnAt: row.withdrawn_at,
    plans,
  };
}

/** Storage of private offers. Reads run on the root connection: never call them inside a transaction. */
export interface PrivateOfferRepository {
  create(publisherId: string, offer: ValidPrivateOffer, now: Date): Promise<PrivateOffer>;
  get(id: string): Promise<PrivateOffer | undefined>;
  listByPublisher(publisherId: string): Promise<PrivateOffer[]>;
  listByCustomer(tenantId: string): Promise<PrivateOffer[]>;
  /** The accepted offers of any of these tenants (what the ledger prices terms with). */
  listAcceptedByCustomers(tenantIds: readonly string[]): Promise<PrivateOffer[]>;
  /**
   * Moves a pending offer to accepted or withdrawn. False when it was no longer pending (another request
   * won the race); the caller re-reads and reports the state.
   */
  settle(id: string, to: "accepted" | "withdrawn", now: Date): Promise<boolean>;
}

export function createPrivateOfferRepository(db: Kysely<Database>): PrivateOfferRepository {
  async function withPlans(rows: Selectable<PrivateOfferTable>[]): Promise<PrivateOffer[]> {
    if (rows.length === 0) return [];
    const planRows = await db
      .selectFrom("private_offer_plans")
      .selectAll()
      .where(
        "private_offer_id",
        "in",
        rows.map((row) => row.id),
      )
      .execute();
    const byOffer = new Map<string, PrivatePlanPrice[]>();
    for (const planRow of planRows) {
      const list = byOffer.get(planRow.private_offer_id) ?? [];
      list.push(planFromRow(planRow));
      byOffer.set(planRow.private_offer_id, list);
    }
    return rows.map((row) =>
      offerFromRow(
        row,
        (byOffer.get(row.id) ?? []).sort((a, b) => a.planId.localeCompare(b.planId)),
      ),
    );
  }

  return {
    async create(publisherId, offer, now) {
      const id = randomUUID();
      const stamp = toStored(now);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("private_offers")
          .values({
            id,
            publisher_id: publisherId,
            offer_id: offer.offerId,
            name: offer.name,
            customer_tenant_id: offer.customerTenantId,
            audience: offer.audience,
            accept_by: offer.acceptBy,
            valid_from: offer.validFrom,
            valid_to: offer.validTo,
            status: "pending",
            created_at: stamp,
            updated_at: stamp,
            accepted_at: null,
            withdrawn_at: null,
          })
          .execute();
        await trx
          .insertInto("private_offer_plans")
          .values(
            offer.plans.map((plan) => ({
              private_offer_id: id,
              plan_id: plan.planId,
              discount_percent: plan.kind === "discount" ? plan.discountPercent : null,
              absolute_price: plan.kind === "absolute" ? plan.absolutePrice : null,
              currency: plan.kind === "absolute" ? plan.currency : null,
              dimension_prices:
                plan.kind === "absolute" && plan.dimensionPrices
                  ? JSON.stringify(plan.dimensionPrices)
                  : null,
            })),
          )
          .execute();
      });
      const created = await this.get(id);
      if (!created) throw new Error(`private offer ${id} vanished after insert`);
      return created;
    },
    async get(id) {
      const row = await db.selectFrom("private_offers").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) return undefined;
      return (await withPlans([row]))[0];
    },
    async listByPublisher(publisherId) {
      const rows = await db
        .selectFrom("private_offers")
        .selectAll()
        .where("publisher_id", "=", publisherId)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return withPlans(rows);
    },
    async listAcceptedByCustomers(tenantIds) {
      const wanted = [...new Set(tenantIds.map((tenantId) => tenantId.toLowerCase()))];
      if (wanted.length === 0) return [];
      const rows = await db
        .selectFrom("private_offers")
        .selectAll()
        .where("customer_tenant_id", "in", wanted)
        .where("status", "=", "accepted")
        .orderBy("id")
        .execute();
      return withPlans(rows);
    },
    async listByCustomer(tenantId) {
      const rows = await db
        .selectFrom("private_offers")
        .selectAll()
        .where("customer_tenant_id", "=", tenantId.toLowerCase())
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return withPlans(rows);
    },
    async settle(id, to, now) {
      const stamp = toStored(now);
      const result = await db
        .updateTable("private_offers")
        .set({
          status: to,
          updated_at: stamp,
          ...(to === "accepted" ? { accepted_at: stamp } : { withdrawn_at: stamp }),
        })
        .where("id", "=", id)
        .where("status", "=", "pending")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
