import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { isPlanVisibleTo, seatLimits } from "./model.js";
import { createCatalogStore } from "./storage/store.js";

/** A private price a buyer's accepted private offer gives a plan, shown beside the list price. */
export type BuyerPrivatePrice = Record<string, unknown>;

export const planKey = (publisherId: string, offerId: string, planId: string) =>
  `${publisherId}/${offerId}/${planId}`;

/**
 * What a buyer in a tenant can buy: every offer with its plans on sale, private plans only when the
 * tenant is in their audience or one of its accepted private offers names them (`privatePrices`, keyed
 * by `planKey`; such plans carry `privateOffer`). Prices are exact decimal strings.
 */
export async function buyerCatalog(
  db: Kysely<Database>,
  tenantId: string,
  privatePrices: ReadonlyMap<string, BuyerPrivatePrice> = new Map(),
) {
  const snapshot = await createCatalogStore(db).snapshot();
  return {
    offers: snapshot.offers.flatMap(({ value: offer }) => {
      const plans = snapshot.plans
        .map(({ value }) => value)
        .filter(
          (plan) =>
            plan.publisherId === offer.publisherId &&
            plan.offerId === offer.offerId &&
            !plan.isStopSell &&
            (isPlanVisibleTo(plan, tenantId) ||
              privatePrices.has(planKey(plan.publisherId, plan.offerId, plan.planId))),
        )
        .map((plan) => ({
          planId: plan.planId,
          displayName: plan.displayName,
          description: plan.description,
          isPrivate: plan.isPrivate,
          hasFreeTrial: plan.hasFreeTrial,
          seats: offer.pricingModel === "perUser" ? seatLimits(plan) : null,
          markets: plan.markets,
          billingTerms: plan.billingTerms,
          meteringDimensions: plan.meteringDimensions,
          privateOffer: privatePrices.get(planKey(plan.publisherId, plan.offerId, plan.planId)) ?? null,
        }));
      if (plans.length === 0) return [];
      return [
        {
          publisherId: offer.publisherId,
          offerId: offer.offerId,
          displayName: offer.displayName,
          description: offer.description,
          pricingModel: offer.pricingModel,
          isPreview: offer.isPreview,
          plans,
        },
      ];
    }),
  };
}
