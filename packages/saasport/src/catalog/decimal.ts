/**
 * Exact decimals for prices and quantities. A value arrives as text ("49.90") or as a number from JSON
 * or YAML (49.9) and is stored as canonical text; it is never used as a float.
 */

export interface DecimalRules {
  /** Most digits allowed after the decimal point (trailing zeros do not count). */
  maxScale: number;
  /** Digits always written after the point, padding with zeros: 2 for money ("49.90"), 0 for quantities. */
  minScale: number;
  /** Most digits allowed before the point. */
  maxIntegerDigits: number;
}

export type DecimalResult = { ok: true; value: string } | { ok: false; problem: string };

export const moneyRules: DecimalRules = { maxScale: 2, minScale: 2, maxIntegerDigits: 10 };
/** Metered prices are often fractions of a cent per unit; Saasport allows six decimals. */
export const unitPriceRules: DecimalRules = { maxScale: 6, minScale: 2, maxIntegerDigits: 10 };
export const quantityRules: DecimalRules = { maxScale: 6, minScale: 0, maxIntegerDigits: 12 };

const plainDecimal = /^(\d+)(?:\.(\d+))?$/;

export function normalizeDecimal(raw: string | number, rules: DecimalRules): DecimalResult {
  const text = typeof raw === "number" ? numberToText(raw) : raw;
  if (text === undefined) return { ok: false, problem: "must be a finite number" };
  if (/^-\d/.test(text)) return { ok: false, problem: "must not be negative" };
  if (/e/i.test(text) && typeof raw === "number") {
    return Math.abs(raw) < 1
      ? { ok: false, problem: `must have at most ${rules.maxScale} decimal places` }
      : { ok: false, problem: `must have at most ${rules.maxIntegerDigits} digits before the decimal point` };
  }
  const match = plainDecimal.exec(text);
  if (!match)
    return { ok: false, problem: `must be a decimal number such as "49.99" (got ${JSON.stringify(text)})` };
  const integerDigits = (match[1] ?? "").replace(/^0+(?=\d)/, "");
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > rules.maxScale) {
    return { ok: false, problem: `must have at most ${rules.maxScale} decimal places` };
  }
  if (integerDigits.length > rules.maxIntegerDigits) {
    return {
      ok: false,
      problem: `must have at most ${rules.maxIntegerDigits} digits before the decimal point`,
    };
  }
  const paddedFraction = fraction.padEnd(rules.minScale, "0");
  return { ok: true, value: paddedFraction ? `${integerDigits}.${paddedFraction}` : integerDigits };
}

function numberToText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // String() gives the shortest text that reads back as the same double: 49.9 → "49.9", 0.07 → "0.07".
  return String(value);
}
