import type { Kysely } from "kysely";
import { type BuyerPrivatePrice, planKey } from "../catalog/buyer-view.js";
import type { Database } from "../db/tables.js";
import { createPrivateOfferRepository } from "../private-offers/repository.js";
import { availablePrivateOffers, isoDay } from "../private-offers/rules.js";

/**
 * The private prices a buyer's accepted private offers give plans, for the store's catalog: offers
 * made to the tenant as a customer (a reseller's offers show on its purchases for customers instead),
 * still valid today. When several name a plan, the most recently accepted wins, as for purchases.
 */
export async function buyerPrivatePrices(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
): Promise<Map<string, BuyerPrivatePrice>> {
  const prices = new Map<string, BuyerPrivatePrice>();
  if (!tenantId) return prices;
  const offers = await createPrivateOfferRepository(db).listByCustomer(tenantId);
  const today = isoDay(now);
  const parties = { beneficiaryTenantId: tenantId, purchaserTenantId: tenantId };
  const offerIds = new Set(offers.map((offer) => `${offer.publisherId}/${offer.offerId}`));
  for (const key of offerIds) {
    const [publisherId = "", offerId = ""] = key.split("/");
    for (const offer of availablePrivateOffers(offers, parties, { publisherId, offerId }, today)) {
      for (const plan of offer.plans) {
        const slot = planKey(offer.publisherId, offer.offerId, plan.planId);
        if (prices.has(slot)) continue;
        prices.set(slot, {
          privateOfferId: offer.id,
          name: offer.name,
          validFrom: offer.validFrom,
          validTo: offer.validTo,
          ...(plan.kind === "discount"
            ? { discountPercent: plan.discountPercent }
            : {
                pricePerPayment: plan.absolutePrice,
                currency: plan.currency,
                ...(plan.dimensionPrices ? { dimensionPrices: { ...plan.dimensionPrices } } : {}),
              }),
        });
      }
    }
  }
  return prices;
}
