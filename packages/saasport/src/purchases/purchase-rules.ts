import { type BillingTerm, isPlanVisibleTo, type Offer, type Plan, seatLimits } from "../catalog/model.js";

/** What a buyer asked for, after shape validation. */
export interface PurchaseRequest {
  planId: string;
  quantity?: number | undefined;
  termUnit?: string | undefined;
  paymentOption?: string | undefined;
  market?: string | undefined;
  beneficiaryTenantId: string;
}

export interface PurchaseTerms {
  term: BillingTerm;
  quantity: number | null;
  market: string;
}

export type PurchaseDecision =
  | { ok: true; terms: PurchaseTerms }
  | { ok: false; status: 400 | 404; target: string; message: string };

/**
 * Decides whether a plan can be bought as asked, filling in the defaults: the plan's first term and
 * its payment option, the minimum seats for per-user plans, and the plan's first market.
 * A private plan outside the buyer's audience is reported as not found, exactly like a missing one.
 */
export function decidePurchase(
  offer: Offer,
  plan: Plan | undefined,
  request: PurchaseRequest,
): PurchaseDecision {
  const fail = (status: 400 | 404, target: string, message: string): PurchaseDecision => ({
    ok: false,
    status,
    target,
    message,
  });
  if (!plan || !isPlanVisibleTo(plan, request.beneficiaryTenantId)) {
    return fail(
      404,
      "planId",
      `Plan ${request.planId} is not available in offer ${offer.offerId} for this buyer.`,
    );
  }
  if (plan.isStopSell) return fail(400, "planId", `Plan ${plan.planId} is no longer sold.`);
  const term = request.termUnit
    ? plan.billingTerms.find((candidate) => candidate.termUnit === request.termUnit)
    : plan.billingTerms[0];
  if (!term) {
    const offered = plan.billingTerms.map((candidate) => candidate.termUnit).join(", ");
    return fail(400, "termUnit", `Plan ${plan.planId} offers the terms ${offered}, not ${request.termUnit}.`);
  }
  if (request.paymentOption && request.paymentOption !== term.paymentOption) {
    return fail(
      400,
      "paymentOption",
      `The ${term.termUnit} term of plan ${plan.planId} is paid ${term.paymentOption}, not ${request.paymentOption}.`,
    );
  }
  const market = request.market ?? plan.markets[0] ?? "US";
  if (!plan.markets.includes(market)) {
    return fail(
      400,
      "market",
      `Plan ${plan.planId} is not sold in market ${market}; it is sold in ${plan.markets.join(", ")}.`,
    );
  }
  if (offer.pricingModel === "flatRate") {
    if (request.quantity !== undefined) {
      return fail(400, "quantity", `Offer ${offer.offerId} is flat-rate; leave quantity out.`);
    }
    return { ok: true, terms: { term, quantity: null, market } };
  }
  const { min, max } = seatLimits(plan);
  const quantity = request.quantity ?? min;
  if (!Number.isInteger(quantity) || quantity < min || quantity > max) {
    return fail(400, "quantity", `Plan ${plan.planId} is sold for ${min} to ${max} seats, not ${quantity}.`);
  }
  return { ok: true, terms: { term, quantity, market } };
}
