import { instalmentCount } from "../billing/domain/instalments.js";
import { formatMoney, multiply, parseMoney } from "../billing/domain/money.js";
import type { PrivatePrice } from "../billing/domain/term-charge.js";
import { moneyRules, normalizeDecimal, unitPriceRules } from "../catalog/decimal.js";
import type { BillingTerm, Offer, Plan } from "../catalog/model.js";
import {
  maxDimensionPricesPerPlan,
  maxPlansPerPrivateOffer,
  type PrivateOffer,
  type PrivateOfferAudience,
  type PrivateOfferStatus,
  type PrivatePlanPrice,
} from "./model.js";

/** What a publisher sends to create a private offer (already structurally checked). */
export interface PrivateOfferInput {
  name: string;
  offerId: string;
  customerTenantId: string;
  audience?: PrivateOfferAudience | undefined;
  acceptBy: string;
  validFrom: string;
  validTo: string;
  plans: {
    planId: string;
    discountPercent?: string | undefined;
    absolutePrice?: string | undefined;
    /** With absolutePrice: price per unit by metering dimension id. */
    dimensionPrices?: Record<string, string> | undefined;
  }[];
}

export interface ValidPrivateOffer {
  name: string;
  offerId: string;
  customerTenantId: string;
  audience: PrivateOfferAudience;
  acceptBy: string;
  validFrom: string;
  validTo: string;
  plans: PrivatePlanPrice[];
}

export interface Problem {
  target: string;
  message: string;
}

export type Validation = { ok: true; value: ValidPrivateOffer } | { ok: false; problems: Problem[] };

/** A percentage: up to three digits before the point and four after. */
const percentRules = { maxScale: 4, minScale: 0, maxIntegerDigits: 3 };

/**
 * Checks a new private offer against the catalog and business time: the offer exists (for this
 * publisher), every plan is on it, sold, named once and priced exactly one way; meter prices go only with
 * an absolute price and name metering dimensions of the (flat-rate) plan; the dates are real days with
 * validFrom < validTo, acceptBy ≤ validTo and acceptBy not already past.
 */
export function validatePrivateOffer(
  input: PrivateOfferInput,
  catalog: { offer: Offer | undefined; plans: readonly Plan[] },
  today: string,
): Validation {
  const problems: Problem[] = [];
  const problem = (target: string, message: string): void => {
    problems.push({ target, message });
  };
  if (!catalog.offer) problem("offerId", `You have no offer "${input.offerId}".`);
  const dates = { acceptBy: input.acceptBy, validFrom: input.validFrom, validTo: input.validTo };
  for (const [field, value] of Object.entries(dates)) {
    if (!isRealDay(value))
      problem(field, `${field} must be a date such as "2026-05-31" (got ${JSON.stringify(value)}).`);
  }
  if (problems.every((found) => !(found.target in dates))) {
    if (input.validFrom >= input.validTo) problem("validTo", "validTo must be after validFrom.");
    if (input.acceptBy > input.validTo) problem("acceptBy", "acceptBy must not be after validTo.");
    if (input.acceptBy < today)
      problem("acceptBy", `acceptBy ${input.acceptBy} is already past (today is ${today}).`);
  }
  if (input.plans.length < 1 || input.plans.length > maxPlansPerPrivateOffer) {
    problem("plans", `Name between 1 and ${maxPlansPerPrivateOffer} plans (got ${input.plans.length}).`);
  }
  const seen = new Set<string>();
  const plans: PrivatePlanPrice[] = [];
  for (const [index, entry] of input.plans.entries()) {
    const at = `plans[${index}]`;
    if (seen.has(entry.planId)) problem(`${at}.planId`, `Plan ${entry.planId} is named twice.`);
    seen.add(entry.planId);
    const plan = catalog.plans.find((candidate) => candidate.planId === entry.planId);
    if (catalog.offer && !plan) {
      problem(`${at}.planId`, `Offer ${input.offerId} has no plan "${entry.planId}".`);
    } else if (plan?.isStopSell) {
      problem(`${at}.planId`, `Plan ${entry.planId} is no longer sold.`);
    }
    const hasDiscount = entry.discountPercent !== undefined;
    const hasAbsolute = entry.absolutePrice !== undefined;
    if (hasDiscount === hasAbsolute) {
      problem(at, "Give exactly one of discountPercent and absolutePrice.");
      continue;
    }
    if (entry.discountPercent !== undefined) {
      if (entry.dimensionPrices !== undefined) {
        problem(
          `${at}.dimensionPrices`,
          "dimensionPrices go with absolutePrice only: a discountPercent already applies to every meter.",
        );
      }
      const percent = normalizeDecimal(entry.discountPercent, percentRules);
      if (!percent.ok) {
        problem(`${at}.discountPercent`, `discountPercent ${percent.problem}.`);
        continue;
      }
      if (Number(percent.value) <= 0 || Number(percent.value) >= 100) {
        problem(`${at}.discountPercent`, "discountPercent must be more than 0 and less than 100.");
        continue;
      }
      plans.push({ planId: entry.planId, kind: "discount", discountPercent: percent.value });
      continue;
    }
    const price = normalizeDecimal(entry.absolutePrice ?? "", moneyRules);
    if (!price.ok) problem(`${at}.absolutePrice`, `absolutePrice ${price.problem}.`);
    const currencies = plan ? [...new Set(plan.billingTerms.map((term) => term.currency))] : [];
    const [currency] = currencies;
    if (plan && (currencies.length !== 1 || !currency)) {
      problem(
        `${at}.absolutePrice`,
        `Plan ${plan.planId} is priced in ${currencies.length} currencies; give it a discountPercent instead.`,
      );
    }
    const dimensionPrices =
      entry.dimensionPrices === undefined
        ? {}
        : checkDimensionPrices(entry.dimensionPrices, {
            at: `${at}.dimensionPrices`,
            plan,
            pricingModel: catalog.offer?.pricingModel,
            currency: currencies.length === 1 ? currency : undefined,
            problem,
          });
    if (!price.ok || !plan || currencies.length !== 1 || !currency) continue;
    plans.push({
      planId: entry.planId,
      kind: "absolute",
      absolutePrice: price.value,
      currency,
      ...(Object.keys(dimensionPrices).length > 0 ? { dimensionPrices } : {}),
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      name: input.name,
      offerId: input.offerId,
      customerTenantId: input.customerTenantId.toLowerCase(),
      audience: input.audience ?? "customer",
      acceptBy: input.acceptBy,
      validFrom: input.validFrom,
      validTo: input.validTo,
      plans,
    },
  };
}

/** A key or value from the request, cut short for a message or target. */
const shown = (text: string): string => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

/**
 * Checks one plan's meter prices: at most 30; each names a metering dimension of the plan (flat-rate
 * offers only) priced in the plan's currency, at an exact non-negative decimal with at most 6 decimals.
 * Returns the canonical prices of the entries that passed (all of them when nothing was reported).
 */
function checkDimensionPrices(
  prices: Readonly<Record<string, string>>,
  context: {
    at: string;
    plan: Plan | undefined;
    pricingModel: Offer["pricingModel"] | undefined;
    /** The plan's one currency; undefined when it has several (already reported). */
    currency: string | undefined;
    problem: (target: string, message: string) => void;
  },
): Record<string, string> {
  const { at, plan, problem } = context;
  const entries = Object.entries(prices);
  if (entries.length > maxDimensionPricesPerPlan) {
    problem(
      at,
      `Name at most ${maxDimensionPricesPerPlan} dimensionPrices per plan (got ${entries.length}).`,
    );
    return {};
  }
  if (entries.length > 0 && context.pricingModel === "perUser") {
    problem(at, "dimensionPrices are only for flat-rate plans: per-user plans have no metered dimensions.");
    return {};
  }
  const accepted: [string, string][] = [];
  for (const [dimensionId, raw] of entries) {
    const target = `${at}.${shown(dimensionId)}`;
    const price = normalizeDecimal(raw, unitPriceRules);
    if (!price.ok) problem(target, `dimensionPrices.${shown(dimensionId)} ${price.problem}.`);
    if (!plan) continue;
    const dimension = plan.meteringDimensions.find((candidate) => candidate.id === dimensionId);
    if (!dimension) {
      const known = plan.meteringDimensions.map((candidate) => candidate.id);
      problem(
        target,
        `Plan ${plan.planId} has no metering dimension "${shown(dimensionId)}" (${known.length > 0 ? `it has ${known.join(", ")}` : "it has none"}).`,
      );
      continue;
    }
    if (context.currency !== undefined && dimension.currency !== context.currency) {
      problem(
        target,
        `Dimension ${dimensionId} is priced in ${dimension.currency}, not in the plan's ${context.currency}; it cannot take a private price.`,
      );
      continue;
    }
    if (price.ok) accepted.push([dimensionId, price.value]);
  }
  return Object.fromEntries(accepted);
}

function isRealDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export function isoDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** A pending offer can be accepted up to the end of its accept-by day (UTC), then reads as expired. */
export function statusAt(offer: Pick<PrivateOffer, "status" | "acceptBy">, now: Date): PrivateOfferStatus {
  if (offer.status === "pending" && isoDay(now) > offer.acceptBy) return "expired";
  return offer.status;
}

export type Transition = { ok: true } | { ok: false; message: string };

export function decideAccept(offer: PrivateOffer, now: Date): Transition {
  const status = statusAt(offer, now);
  if (status === "pending") return { ok: true };
  if (status === "expired") {
    return {
      ok: false,
      message: `Private offer ${offer.id} expired: it had to be accepted by ${offer.acceptBy}.`,
    };
  }
  return {
    ok: false,
    message: `Private offer ${offer.id} is ${status}; only a pending offer can be accepted.`,
  };
}

export function decideWithdraw(offer: PrivateOffer, now: Date): Transition {
  const status = statusAt(offer, now);
  if (status === "pending") return { ok: true };
  return {
    ok: false,
    message: `Private offer ${offer.id} is ${status}; only a pending offer can be withdrawn.`,
  };
}

/** The parties of a purchase or subscription, by tenant. */
export interface PurchaseParties {
  beneficiaryTenantId: string;
  purchaserTenantId: string;
}

/**
 * Whose private offers count for a purchase: a direct purchase is billed to the beneficiary, so its
 * customer offers count; a reseller purchase (purchaser ≠ beneficiary) is billed to the reseller, so
 * the reseller's `reseller` offers count and the beneficiary's own offers do not.
 */
export function appliesToParties(
  offer: Pick<PrivateOffer, "customerTenantId" | "audience">,
  parties: PurchaseParties,
): boolean {
  const beneficiary = parties.beneficiaryTenantId.toLowerCase();
  const purchaser = parties.purchaserTenantId.toLowerCase();
  if (beneficiary === purchaser)
    return offer.audience === "customer" && offer.customerTenantId === beneficiary;
  return offer.audience === "reseller" && offer.customerTenantId === purchaser;
}

export interface PlanRef {
  publisherId: string;
  offerId: string;
  planId: string;
}

function namesPlan(offer: PrivateOffer, plan: PlanRef): PrivatePlanPrice | undefined {
  if (offer.publisherId !== plan.publisherId || offer.offerId !== plan.offerId) return undefined;
  return offer.plans.find((entry) => entry.planId === plan.planId);
}

/** Newest acceptance first; ties (same instant) by id, so the choice never depends on read order. */
function newestAcceptedFirst(a: PrivateOffer, b: PrivateOffer): number {
  const byTime = (b.acceptedAt ?? "").localeCompare(a.acceptedAt ?? "");
  return byTime !== 0 ? byTime : b.id.localeCompare(a.id);
}

/**
 * The accepted private offers that make plans of an offer available to a subscription's parties on
 * `today`: accepted, for these parties, on this offer, and not yet past validTo. A term that starts
 * before validFrom is still at list price (the ledger checks the term start).
 */
export function availablePrivateOffers(
  offers: readonly PrivateOffer[],
  parties: PurchaseParties,
  offer: { publisherId: string; offerId: string },
  today: string,
): PrivateOffer[] {
  return offers
    .filter(
      (candidate) =>
        candidate.status === "accepted" &&
        candidate.publisherId === offer.publisherId &&
        candidate.offerId === offer.offerId &&
        appliesToParties(candidate, parties) &&
        today <= candidate.validTo,
    )
    .sort(newestAcceptedFirst);
}

/** The private offer a purchase of this plan records: the newest accepted one naming the plan. */
export function coveringPrivateOffer(
  offers: readonly PrivateOffer[],
  parties: PurchaseParties,
  plan: PlanRef,
  today: string,
): PrivateOffer | undefined {
  return availablePrivateOffers(offers, parties, plan, today).find((offer) => namesPlan(offer, plan));
}

/**
 * The private price for a tenant's term of a plan starting on termStart, in the billing domain's shape:
 * among the tenant's accepted offers naming the plan whose window [validFrom, validTo] contains the
 * term start, the most recently accepted wins. An absolute price is per payment (like the catalog's
 * price), so the term's price is that × the term's instalments; its meter prices pass through as they are.
 */
export function effectivePrivatePrice(
  offers: readonly PrivateOffer[],
  tenantId: string,
  plan: PlanRef,
  termStart: Date,
  billingTerm: Pick<BillingTerm, "termUnit" | "paymentOption">,
): { privateOfferId: string; price: PrivatePrice } | undefined {
  const day = isoDay(termStart);
  const tenant = tenantId.toLowerCase();
  const winner = offers
    .filter(
      (offer) =>
        offer.status === "accepted" &&
        offer.customerTenantId === tenant &&
        offer.validFrom <= day &&
        day <= offer.validTo &&
        namesPlan(offer, plan) !== undefined,
    )
    .sort(newestAcceptedFirst)[0];
  const entry = winner && namesPlan(winner, plan);
  if (!winner || !entry) return undefined;
  const validFrom = new Date(`${winner.validFrom}T00:00:00.000Z`);
  const validTo = new Date(`${winner.validTo}T00:00:00.000Z`);
  if (entry.kind === "discount") {
    return {
      privateOfferId: winner.id,
      price: { kind: "discount", percent: entry.discountPercent, validFrom, validTo },
    };
  }
  const payments = instalmentCount(billingTerm.termUnit, billingTerm.paymentOption);
  const pricePerTerm = formatMoney(multiply(parseMoney(entry.absolutePrice, entry.currency), `${payments}`));
  const dimensionPrices = entry.dimensionPrices ? { dimensionPrices: { ...entry.dimensionPrices } } : {};
  return {
    privateOfferId: winner.id,
    price: { kind: "absolute", pricePerTerm, ...dimensionPrices, validFrom, validTo },
  };
}
