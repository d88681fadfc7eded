import { BillingError } from "./errors.js";

/** An exact rational number; the denominator is always positive and the fraction is reduced. */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const zeroRatio: Ratio = { numerator: 0n, denominator: 1n };
export const oneRatio: Ratio = { numerator: 1n, denominator: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function ratio(numerator: bigint, denominator: bigint): Ratio {
  if (denominator === 0n) throw new BillingError("invalidQuantity", "division by zero");
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

export function integerRatio(value: bigint | number): Ratio {
  return { numerator: BigInt(value), denominator: 1n };
}

const decimalText = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Reads a plain decimal string ("20.5", "-12.50", "1350") exactly; exponents and spaces are refused. */
export function parseDecimal(text: string): Ratio {
  const match = decimalText.exec(text);
  if (!match) throw new BillingError("invalidQuantity", `"${text}" is not a decimal number such as "20.5"`);
  const fraction = match[3] ?? "";
  const digits = BigInt(`${match[2]}${fraction}`);
  return ratio(match[1] ? -digits : digits, 10n ** BigInt(fraction.length));
}

export function multiplyRatios(...factors: Ratio[]): Ratio {
  return factors.reduce(
    (product, factor) =>
      ratio(product.numerator * factor.numerator, product.denominator * factor.denominator),
    oneRatio,
  );
}

export function addRatios(...terms: Ratio[]): Ratio {
  return terms.reduce(
    (sum, term) =>
      ratio(
        sum.numerator * term.denominator + term.numerator * sum.denominator,
        sum.denominator * term.denominator,
      ),
    zeroRatio,
  );
}

export function subtractRatios(a: Ratio, b: Ratio): Ratio {
  return addRatios(a, { numerator: -b.numerator, denominator: b.denominator });
}

/** Negative, zero or positive as a is below, equal to or above b. */
export function compareRatios(a: Ratio, b: Ratio): number {
  const difference = a.numerator * b.denominator - b.numerator * a.denominator;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/**
 * Rounds to the nearest integer, a tie to the even neighbour (banker's rounding), symmetric around zero:
 * ties do not all go one way, so many rounded lines do not drift in one direction.
 */
export function roundHalfEven(value: Ratio): bigint {
  const { numerator, denominator } = value;
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator - quotient * denominator;
  if (remainder === 0n) return quotient;
  const away = numerator < 0n ? -1n : 1n;
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  if (twiceRemainder > denominator) return quotient + away;
  if (twiceRemainder < denominator) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + away;
}

/** Writes an exact decimal ("0.0008", "-3.5", "12"); refuses a fraction such as 1/3 that has no finite decimal. */
export function formatDecimal(value: Ratio): string {
  let scale = 0;
  let denominator = value.denominator;
  let multiplier = 1n;
  while (denominator % 10n === 0n) {
    denominator /= 10n;
    scale += 1;
  }
  while (denominator !== 1n) {
    if (denominator % 2n === 0n) {
      denominator /= 2n;
      multiplier *= 5n;
    } else if (denominator % 5n === 0n) {
      denominator /= 5n;
      multiplier *= 2n;
    } else {
      throw new BillingError("invalidQuantity", "the value has no finite decimal form");
    }
    scale += 1;
  }
  const scaled = value.numerator * multiplier;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, "0");
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${integer}${fraction ? `.${fraction}` : ""}`;
}
