import { formatDecimal, multiplyRatios, parseDecimal } from "../billing/domain/exact.js";
import { discounted, formatMoney, parseMoney, remainingAfterDiscount } from "../billing/domain/money.js";
import type { MeteringDimension, Plan } from "../catalog/model.js";
import type { PrivateOffer, PrivatePlanPrice } from "./model.js";
import { statusAt } from "./rules.js";

function planPriceView(plan: PrivatePlanPrice) {
  return plan.kind === "discount"
    ? { planId: plan.planId, discountPercent: plan.discountPercent }
    : {
        planId: plan.planId,
        absolutePrice: plan.absolutePrice,
        currency: plan.currency,
        ...(plan.dimensionPrices ? { dimensionPrices: { ...plan.dimensionPrices } } : {}),
      };
}

/** What the publisher sees. */
export function partnerView(offer: PrivateOffer, now: Date) {
  return {
    id: offer.id,
    publisherId: offer.publisherId,
    offerId: offer.offerId,
    name: offer.name,
    customerTenantId: offer.customerTenantId,
    audience: offer.audience,
    acceptBy: offer.acceptBy,
    validFrom: offer.validFrom,
    validTo: offer.validTo,
    status: statusAt(offer, now),
    createdAt: offer.createdAt,
    acceptedAt: offer.acceptedAt,
    withdrawnAt: offer.withdrawnAt,
    plans: offer.plans.map(planPriceView),
  };
}

/**
 * One payment at the private price, next to the list price. A discounted payment is rounded half-even
 * to the minor unit for display; the ledger rounds a whole term once, which may differ by a cent.
 */
function privatePaymentPrice(entry: PrivatePlanPrice, listPrice: string, currency: string): string {
  if (entry.kind === "absolute") return entry.absolutePrice;
  return formatMoney(discounted(parseMoney(listPrice, currency), entry.discountPercent));
}

/**
 * A meter's price per unit under the offer, exact as the ledger uses it (`meterUnitPrice`): a discount
 * is kept exact, an absolute price's meter price replaces the list price, and an unnamed meter keeps it.
 */
function privateUnitPrice(entry: PrivatePlanPrice, dimension: MeteringDimension): string {
  if (entry.kind === "absolute") return entry.dimensionPrices?.[dimension.id] ?? dimension.pricePerUnit;
  return formatDecimal(
    multiplyRatios(parseDecimal(dimension.pricePerUnit), remainingAfterDiscount(entry.discountPercent)),
  );
}

/**
 * What the customer sees: each plan's list and private price per payment, and each meter's list and
 * private price per unit, side by side.
 */
export function storeView(
  offer: PrivateOffer,
  catalog: { offerDisplayName: string; plans: readonly Plan[] },
  now: Date,
) {
  return {
    id: offer.id,
    publisherId: offer.publisherId,
    offerId: offer.offerId,
    offerDisplayName: catalog.offerDisplayName,
    name: offer.name,
    audience: offer.audience,
    acceptBy: offer.acceptBy,
    validFrom: offer.validFrom,
    validTo: offer.validTo,
    status: statusAt(offer, now),
    acceptedAt: offer.acceptedAt,
    plans: offer.plans.map((entry) => {
      const plan = catalog.plans.find((candidate) => candidate.planId === entry.planId);
      return {
        planId: entry.planId,
        displayName: plan?.displayName ?? entry.planId,
        ...(entry.kind === "discount" ? { discountPercent: entry.discountPercent } : {}),
        ...(entry.kind === "absolute" ? { absolutePrice: entry.absolutePrice } : {}),
        ...(entry.kind === "absolute" && entry.dimensionPrices
          ? { dimensionPrices: { ...entry.dimensionPrices } }
          : {}),
        billingTerms: (plan?.billingTerms ?? []).map((term) => ({
          termUnit: term.termUnit,
          paymentOption: term.paymentOption,
          currency: term.currency,
          listPrice: term.price,
          privatePrice: privatePaymentPrice(entry, term.price, term.currency),
        })),
        meteringDimensions: (plan?.meteringDimensions ?? []).map((dimension) => ({
          id: dimension.id,
          displayName: dimension.displayName,
          unitOfMeasure: dimension.unitOfMeasure,
          currency: dimension.currency,
          pricePerUnit: dimension.pricePerUnit,
          privatePricePerUnit: privateUnitPrice(entry, dimension),
        })),
      };
    }),
  };
}
