import type { Plan, PricingModel } from "../../catalog/model.js";
import type { PrivateOffer } from "../../private-offers/model.js";
import { effectivePrivatePrice } from "../../private-offers/rules.js";
import { BillingError } from "../domain/errors.js";
import { formatMoney, parseMoney } from "../domain/money.js";
import { type PrivatePrice, termCharge } from "../domain/term-charge.js";
import type { PriceRequest, TermPricing } from "../ledger/pricing.js";

/** A term price as kept in `billing_states.prices`: frozen the first time the term is charged. */
export interface FrozenPrice {
  amount: string;
  listAmount: string;
  currency: string;
  privateOfferId: string | null;
  privatePrice:
    | { kind: "discount"; percent: string; validFrom: string; validTo: string }
    | {
        kind: "absolute";
        pricePerTerm: string;
        dimensionPrices?: Record<string, string>;
        validFrom: string;
        validTo: string;
      }
    | null;
}

export type FrozenPrices = Record<string, FrozenPrice>;

export interface TermPricerInput {
  publisherId: string;
  offerId: string;
  pricingModel: PricingModel;
  plans: ReadonlyMap<string, Plan>;
  /** The payer's tenant id (the reseller on a reseller purchase). */
  payerTenantId: string;
  /** Accepted private offers that apply to these parties (see appliesToParties). */
  privateOffers: readonly PrivateOffer[];
  /** Prices frozen earlier; new ones are added to this object. */
  frozen: FrozenPrices;
}

export function priceKey(request: PriceRequest): string {
  return [
    request.termStart,
    request.planId,
    request.seats ?? "",
    request.termUnit,
    request.paymentOption,
  ].join("|");
}

/**
 * The ledger's price source: a term's price for a plan and seat count comes from what was frozen for
 * it, or else from the catalog and the payer's private offers accepted by the time the plan was chosen,
 * and is then frozen, so a later catalog or offer change never reprices a term already charged.
 */
export function createTermPricer(input: TermPricerInput): (request: PriceRequest) => TermPricing {
  return (request) => {
    const key = priceKey(request);
    const frozen = input.frozen[key] ?? computeFrozen(input, request);
    input.frozen[key] = frozen;
    return thaw(frozen);
  };
}

function computeFrozen(input: TermPricerInput, request: PriceRequest): FrozenPrice {
  const plan = input.plans.get(request.planId);
  if (!plan) throw new BillingError("invalidChange", `plan ${request.planId} is not in the catalog`);
  const billingTerm =
    plan.billingTerms.find(
      (term) => term.termUnit === request.termUnit && term.paymentOption === request.paymentOption,
    ) ?? plan.billingTerms.find((term) => term.termUnit === request.termUnit);
  if (!billingTerm) {
    throw new BillingError("invalidChange", `plan ${request.planId} has no ${request.termUnit} billing term`);
  }
  const termStart = new Date(`${request.termStart}T00:00:00.000Z`);
  const offers = input.privateOffers.filter(
    (offer) => offer.acceptedAt !== null && offer.acceptedAt <= request.decidedAt,
  );
  const privateOffer = effectivePrivatePrice(
    offers,
    input.payerTenantId,
    { publisherId: input.publisherId, offerId: input.offerId, planId: request.planId },
    termStart,
    billingTerm,
  );
  const charge = termCharge({
    pricingModel: input.pricingModel,
    billingTerm,
    seats: request.seats ?? undefined,
    termStart,
    freeTrial: request.freeTrial,
    privatePrice: privateOffer?.price,
  });
  return {
    amount: formatMoney(charge.amount),
    listAmount: formatMoney(charge.listAmount),
    currency: billingTerm.currency,
    privateOfferId: charge.privatePriceApplied ? (privateOffer?.privateOfferId ?? null) : null,
    privatePrice: charge.privatePriceApplied && privateOffer ? freezePrivatePrice(privateOffer.price) : null,
  };
}

function freezePrivatePrice(price: PrivatePrice): FrozenPrice["privatePrice"] {
  const validFrom = price.validFrom.toISOString();
  const validTo = price.validTo.toISOString();
  return price.kind === "discount"
    ? { kind: "discount", percent: price.percent, validFrom, validTo }
    : {
        kind: "absolute",
        pricePerTerm: price.pricePerTerm,
        ...(price.dimensionPrices ? { dimensionPrices: { ...price.dimensionPrices } } : {}),
        validFrom,
        validTo,
      };
}

function thaw(frozen: FrozenPrice): TermPricing {
  const privatePrice = frozen.privatePrice;
  return {
    amount: parseMoney(frozen.amount, frozen.currency),
    listAmount: parseMoney(frozen.listAmount, frozen.currency),
    privateOfferId: frozen.privateOfferId,
    privatePrice:
      privatePrice === null
        ? null
        : privatePrice.kind === "discount"
          ? {
              kind: "discount",
              percent: privatePrice.percent,
              validFrom: new Date(privatePrice.validFrom),
              validTo: new Date(privatePrice.validTo),
            }
          : {
              kind: "absolute",
              pricePerTerm: privatePrice.pricePerTerm,
              ...(privatePrice.dimensionPrices ? { dimensionPrices: privatePrice.dimensionPrices } : {}),
              validFrom: new Date(privatePrice.validFrom),
              validTo: new Date(privatePrice.validTo),
            },
  };
}
