import { BillingError } from "./errors.js";
import {
  compareRatios,
  integerRatio,
  multiplyRatios,
  parseDecimal,
  type Ratio,
  ratio,
  roundHalfEven,
  subtractRatios,
} from "./exact.js";

/** An amount in whole minor units (cents; yen for JPY). Credits are negative. */
export interface Money {
  readonly currency: string;
  readonly minor: bigint;
}

/** ISO 4217 minor-unit exponents of the marketplace's transaction currencies (spec §8). */
export const currencyExponents: Readonly<Record<string, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  AUD: 2,
  CAD: 2,
  CHF: 2,
  DKK: 2,
  NOK: 2,
  SEK: 2,
  NZD: 2,
  INR: 2,
  BRL: 2,
  RUB: 2,
  TWD: 2,
  JPY: 0,
  KRW: 0,
};

export function currencyExponent(currency: string): number {
  const exponent = Object.hasOwn(currencyExponents, currency) ? currencyExponents[currency] : undefined;
  if (exponent === undefined) {
    throw new BillingError("unknownCurrency", `"${currency}" is not a marketplace currency`);
  }
  return exponent;
}

export function money(currency: string, minor: bigint): Money {
  currencyExponent(currency);
  return { currency, minor };
}

export function zeroMoney(currency: string): Money {
  return money(currency, 0n);
}

/**
 * Reads a decimal amount ("49.99", "-3.50") exactly. Zeros past the currency's minor unit are accepted
 * (the catalog writes "1000.00" for JPY); any other digit there is an error, never a silent rounding.
 */
export function parseMoney(amount: string, currency: string): Money {
  const exponent = currencyExponent(currency);
  let value: Ratio;
  try {
    value = parseDecimal(amount);
  } catch {
    throw new BillingError("invalidAmount", `"${amount}" is not an amount such as "49.99"`);
  }
  const minor = multiplyRatios(value, integerRatio(10n ** BigInt(exponent)));
  if (minor.denominator !== 1n) {
    throw new BillingError("invalidAmount", `"${amount}" has more decimals than ${currency} allows`);
  }
  return { currency, minor: minor.numerator };
}

/** Writes the amount with exactly the currency's decimals: "49.90", "-0.05", "1200" (JPY). */
export function formatMoney(value: Money): string {
  const exponent = currencyExponent(value.currency);
  const negative = value.minor < 0n;
  const digits = (negative ? -value.minor : value.minor).toString().padStart(exponent + 1, "0");
  const integer = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? "-" : ""}${integer}${exponent > 0 ? `.${fraction}` : ""}`;
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new BillingError("currencyMismatch", `cannot combine ${a.currency} and ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { currency: a.currency, minor: a.minor + b.minor };
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { currency: a.currency, minor: a.minor - b.minor };
}

export function negate(value: Money): Money {
  return { currency: value.currency, minor: -value.minor };
}

export function sum(currency: string, values: readonly Money[]): Money {
  return values.reduce(add, zeroMoney(currency));
}

export function compare(a: Money, b: Money): number {
  sameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/**
 * The one rounding rule: an exact amount in major units (e.g. 0.008 × 350 = 2.8 USD) becomes minor units
 * rounded half-even. Callers build each line's exact amount first and round once per line.
 */
export function roundToMoney(currency: string, exactMajorUnits: Ratio): Money {
  const scale = integerRatio(10n ** BigInt(currencyExponent(currency)));
  return { currency, minor: roundHalfEven(multiplyRatios(exactMajorUnits, scale)) };
}

/** The amount as an exact rational in major units, for building a line before its single rounding. */
export function toRatio(value: Money): Ratio {
  return ratio(value.minor, 10n ** BigInt(currencyExponent(value.currency)));
}

/**
 * Multiplies by an exact factor: a decimal quantity ("20.5" seats or units) or a rational such as
 * days / termDays; several factors are multiplied exactly and the product is rounded once.
 */
export function multiply(value: Money, ...factors: (Ratio | string)[]): Money {
  const exact = factors.map((factor) => (typeof factor === "string" ? parseDecimal(factor) : factor));
  return {
    currency: value.currency,
    minor: roundHalfEven(multiplyRatios(integerRatio(value.minor), ...exact)),
  };
}

/** A percentage such as "20" or "12.5" as the exact fraction p / 100; only 0..100 is a percentage here. */
export function percent(text: string): Ratio {
  let value: Ratio;
  try {
    value = parseDecimal(text);
  } catch {
    throw new BillingError("invalidPercent", `"${text}" is not a percentage such as "20" or "12.5"`);
  }
  if (compareRatios(value, integerRatio(0)) < 0 || compareRatios(value, integerRatio(100)) > 0) {
    throw new BillingError("invalidPercent", `"${text}" is not a percentage between 0 and 100`);
  }
  return ratio(value.numerator, value.denominator * 100n);
}

/** The fraction that remains after a discount of p percent: (100 − p) / 100. */
export function remainingAfterDiscount(discountPercent: string): Ratio {
  return subtractRatios(integerRatio(1), percent(discountPercent));
}

/** p percent of an amount, rounded once (the store fee: percentOf(collected, "3")). */
export function percentOf(value: Money, percentText: string): Money {
  return multiply(value, percent(percentText));
}

/** The amount after a discount of p percent, rounded once: round(amount × (100 − p) / 100). */
export function discounted(value: Money, discountPercent: string): Money {
  return multiply(value, remainingAfterDiscount(discountPercent));
}

/**
 * Splits an amount into parts that sum to it exactly, by largest remainder: each part first gets its exact
 * share rounded toward zero, then the minor units left over go one each to the parts with the largest
 * dropped fraction, the earliest part first on a tie. With n equal parts that means the first parts carry
 * the extra cents (100.00 / 3 → 33.34, 33.33, 33.33) and parts differ by at most one minor unit.
 */
export function allocate(total: Money, partsOrWeights: number | readonly (bigint | number)[]): Money[] {
  const weights =
    typeof partsOrWeights === "number"
      ? Array.from({ length: partsOrWeights }, () => 1n)
      : partsOrWeights.map((weight) => BigInt(weight));
  if (weights.length === 0 || weights.some((weight) => weight < 0n)) {
    throw new BillingError("invalidAllocation", "allocate needs at least one part and no negative weight");
  }
  const totalWeight = weights.reduce((a, b) => a + b, 0n);
  if (totalWeight === 0n) throw new BillingError("invalidAllocation", "the weights sum to zero");
  const sign = total.minor < 0n ? -1n : 1n;
  const magnitude = sign * total.minor;
  const shares = weights.map((weight, index) => ({
    index,
    base: (magnitude * weight) / totalWeight,
    dropped: (magnitude * weight) % totalWeight,
  }));
  let leftover = magnitude - shares.reduce((a, share) => a + share.base, 0n);
  const byDropped = [...shares].sort((a, b) =>
    a.dropped === b.dropped ? a.index - b.index : a.dropped > b.dropped ? -1 : 1,
  );
  const extra = new Set<number>();
  for (const share of byDropped) {
    if (leftover === 0n) break;
    extra.add(share.index);
    leftover -= 1n;
  }
  return shares.map((share) => ({
    currency: total.currency,
    minor: sign * (share.base + (extra.has(share.index) ? 1n : 0n)),
  }));
}
