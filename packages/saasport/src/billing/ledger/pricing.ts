import type { MeteringDimension, Plan, PricingModel } from "../../catalog/model.js";
import type { Money } from "../domain/money.js";
import type { ProrationPolicy } from "../domain/proration.js";
import type { PrivatePrice } from "../domain/term-charge.js";

/** What the ledger asks for one term of one plan at one seat count. */
export interface PriceRequest {
  /** ISO day the term starts. */
  termStart: string;
  planId: string;
  seats: number | null;
  termUnit: string;
  paymentOption: string;
  freeTrial: boolean;
  /** When this plan and seat count were chosen (private offers accepted later do not count). */
  decidedAt: string;
}

/** A term's price for one plan and seat count, as charged and at list price. */
export interface TermPricing {
  amount: Money;
  listAmount: Money;
  privateOfferId: string | null;
  /** The private price behind `amount`, also applied to meters. */
  privatePrice: PrivatePrice | null;
}

/** Everything the pure ledger needs besides the events and usage. */
export interface LedgerContext {
  subscriptionId: string;
  pricingModel: PricingModel;
  /** The payer is a reseller buying for a customer: lines record the reseller margin. */
  reseller: boolean;
  policy: ProrationPolicy;
  price(request: PriceRequest): TermPricing;
  plan(planId: string): Pick<Plan, "displayName" | "meteringDimensions"> | undefined;
}

export type { MeteringDimension };
