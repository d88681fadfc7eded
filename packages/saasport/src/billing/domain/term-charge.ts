import type { BillingTerm, MeteringDimension, PricingModel } from "../../catalog/model.js";
import { isoDate } from "./dates.js";
import { BillingError } from "./errors.js";
import { formatDecimal, multiplyRatios, parseDecimal } from "./exact.js";
import { instalmentCount } from "./instalments.js";
import { type Money, multiply, parseMoney, remainingAfterDiscount, zeroMoney } from "./money.js";

/**
 * A price negotiated for one buyer (a private offer). A discount takes a percentage off the list price of
 * the term and of every meter; an absolute price replaces the term's price (per seat on per-user plans)
 * and, where given, a meter's price per unit. It applies to terms that start inside [validFrom, validTo],
 * both days included.
 */
export type PrivatePrice =
  | { kind: "discount"; percent: string; validFrom: Date; validTo: Date }
  | {
      kind: "absolute";
      /** The whole term's price as a decimal in the term's currency; per seat on a per-user plan. */
      pricePerTerm: string;
      /** Price per unit by dimension id; a dimension not listed keeps its list price. */
      dimensionPrices?: Readonly<Record<string, string>>;
      validFrom: Date;
      validTo: Date;
    };

export interface TermChargeInput {
  pricingModel: PricingModel;
  billingTerm: BillingTerm;
  /** Seats bought; required on per-user plans, ignored on flat-rate plans. */
  seats?: number;
  termStart: Date;
  /** The term is the plan's free-trial month. */
  freeTrial?: boolean;
  privatePrice?: PrivatePrice;
}

export interface TermCharge {
  /** What the buyer is charged for the term. */
  amount: Money;
  /** The same term at list price (what a reseller margin is measured against). */
  listAmount: Money;
  privatePriceApplied: boolean;
  freeTrial: boolean;
}

export function privatePriceApplies(privatePrice: PrivatePrice | undefined, termStart: Date): boolean {
  if (!privatePrice) return false;
  const day = isoDate(termStart);
  return isoDate(privatePrice.validFrom) <= day && day <= isoDate(privatePrice.validTo);
}

/**
 * The price of one term. The catalog's price is one payment (one instalment, or the whole term upfront),
 * so the list price of the term is price × instalments × seats; a discount is applied to that product and
 * rounded once.
 */
export function termCharge(input: TermChargeInput): TermCharge {
  const { billingTerm } = input;
  const seats = seatCount(input);
  const payment = parseMoney(billingTerm.price, billingTerm.currency);
  const listAmount = multiply(
    payment,
    `${instalmentCount(billingTerm.termUnit, billingTerm.paymentOption)}`,
    `${seats}`,
  );
  if (input.freeTrial) {
    return {
      amount: zeroMoney(billingTerm.currency),
      listAmount,
      privatePriceApplied: false,
      freeTrial: true,
    };
  }
  const privatePrice = privatePriceApplies(input.privatePrice, input.termStart)
    ? input.privatePrice
    : undefined;
  if (!privatePrice) return { amount: listAmount, listAmount, privatePriceApplied: false, freeTrial: false };
  const amount =
    privatePrice.kind === "discount"
      ? multiply(listAmount, remainingAfterDiscount(privatePrice.percent))
      : multiply(parseMoney(privatePrice.pricePerTerm, billingTerm.currency), `${seats}`);
  return { amount, listAmount, privatePriceApplied: true, freeTrial: false };
}

/**
 * A meter's price per unit for usage in a term starting on termStart, as an exact decimal ("0.008"):
 * never rounded here, so an overage line is rounded once from quantity × this price.
 */
export function meterUnitPrice(
  dimension: Pick<MeteringDimension, "id" | "pricePerUnit">,
  privatePrice: PrivatePrice | undefined,
  termStart: Date,
): string {
  if (!privatePriceApplies(privatePrice, termStart) || !privatePrice) return dimension.pricePerUnit;
  if (privatePrice.kind === "absolute")
    return privatePrice.dimensionPrices?.[dimension.id] ?? dimension.pricePerUnit;
  return formatDecimal(
    multiplyRatios(parseDecimal(dimension.pricePerUnit), remainingAfterDiscount(privatePrice.percent)),
  );
}

function seatCount(input: TermChargeInput): number {
  if (input.pricingModel === "flatRate") return 1;
  const seats = input.seats;
  if (seats === undefined || !Number.isSafeInteger(seats) || seats < 1) {
    throw new BillingError(
      "invalidSeats",
      `a per-user term needs a whole number of seats ≥ 1 (got ${seats})`,
    );
  }
  return seats;
}
