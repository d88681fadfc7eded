/**
 * The catalog as the rest of Saasport sees it: publishers, offers and plans with their prices.
 * Money is a decimal string ("49.99"); never a float.
 */

export type PricingModel = "flatRate" | "perUser";
export type TermUnit = "P1M" | "P1Y" | "P2Y" | "P3Y" | "P4Y" | "P5Y";
export type PaymentOption = "upfront" | "monthly" | "annual";

export const termUnits: readonly TermUnit[] = ["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"];
export const paymentOptions: readonly PaymentOption[] = ["upfront", "monthly", "annual"];

/** Which payment options each term allows (spec §8): monthly instalments from 1 year, annual from 2 years. */
export const allowedPaymentOptions: Record<TermUnit, readonly PaymentOption[]> = {
  P1M: ["upfront"],
  P1Y: ["upfront", "monthly"],
  P2Y: ["upfront", "monthly", "annual"],
  P3Y: ["upfront", "monthly", "annual"],
  P4Y: ["upfront", "monthly", "annual"],
  P5Y: ["upfront", "monthly", "annual"],
};

/** Terms that the official .NET client cannot parse (spec §0.1.3); a plan offers them only when it opts in. */
export const extendedTermUnits: readonly TermUnit[] = ["P4Y", "P5Y"];

export interface BillingTerm {
  termUnit: TermUnit;
  /**
   * Amount of one payment, as an exact decimal: the whole term for `upfront`, one instalment for
   * `monthly` and `annual` (so a term's total is always price × instalments, without rounding).
   * On a per-user offer it is the amount per seat.
   */
  price: string;
  currency: string;
  paymentOption: PaymentOption;
}

export interface MeteringDimension {
  id: string;
  displayName: string;
  unitOfMeasure: string;
  pricePerUnit: string;
  currency: string;
  /** Included quantity per term, by term unit; "unlimited" means never charged. */
  includedQuantity: Partial<Record<TermUnit, string>>;
}

export interface Publisher {
  id: string;
  displayName: string;
  tenantId: string;
  appId: string;
  landingPageUrl: string;
  webhookUrl: string;
}

export interface Offer {
  publisherId: string;
  offerId: string;
  displayName: string;
  description: string;
  pricingModel: PricingModel;
  isPreview: boolean;
}

export interface Plan {
  publisherId: string;
  offerId: string;
  planId: string;
  displayName: string;
  description: string;
  isPrivate: boolean;
  /** Tenant ids that may see a private plan. */
  audience: string[];
  minQuantity: number | null;
  maxQuantity: number | null;
  hasFreeTrial: boolean;
  isStopSell: boolean;
  markets: string[];
  billingTerms: BillingTerm[];
  meteringDimensions: MeteringDimension[];
  /** The plan opted in to P4Y/P5Y terms; absent means false. */
  allowExtendedTerms?: boolean;
  /** Purchases are Subscribed at once and announced with a `Subscribe` webhook. */
  autoActivation?: boolean;
}

/** Plan ids: at most 50 characters, lowercase letters, digits, '-' and '_' (spec §1.5). */
export const planIdPattern = /^[a-z0-9][a-z0-9_-]{0,49}$/;
/** Offer and publisher ids follow Partner Center's rules: lowercase alphanumerics, '-', '_', up to 50. */
export const offerIdPattern = /^[a-z0-9][a-z0-9_-]{0,49}$/;
export const publisherIdPattern = /^[a-z0-9][a-z0-9_.-]{0,49}$/;

/** A plan is visible to a buyer tenant when it is public or the tenant is in its audience. */
export function isPlanVisibleTo(plan: Pick<Plan, "isPrivate" | "audience">, tenantId: string): boolean {
  if (!plan.isPrivate) return true;
  const wanted = tenantId.toLowerCase();
  return plan.audience.some((member) => member.toLowerCase() === wanted);
}

/** Seat limits of a per-user plan, with the marketplace defaults (1..1,000,000) filled in. */
export function seatLimits(plan: Pick<Plan, "minQuantity" | "maxQuantity">): { min: number; max: number } {
  return { min: plan.minQuantity ?? 1, max: plan.maxQuantity ?? 1_000_000 };
}
