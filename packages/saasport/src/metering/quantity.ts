/**
 * Metered quantities arrive as JSON doubles (`20.5`). Saasport keeps them exactly, in millionths of a
 * unit: the decimal the client wrote (the shortest text that reads back as the same double) is rounded
 * half-up to six decimals. Anything that is not a finite number above zero, rounds to zero, or exceeds
 * the largest quantity one event may carry is refused.
 */

/** Six decimals: the finest quantity Saasport keeps. */
export const microsPerUnit = 1_000_000n;
/** The most units one event may report (keeps a day's sum of 24 hourly events within a 64-bit integer). */
export const maxQuantity = 10_000_000_000;

export type QuantityResult =
  | { ok: true; micros: bigint; decimal: string; value: number }
  | { ok: false; problem: string };

export function readQuantity(raw: unknown): QuantityResult {
  if (typeof raw !== "number" || !Number.isFinite(raw)) {
    return { ok: false, problem: "The quantity must be a number greater than zero." };
  }
  if (raw <= 0) return { ok: false, problem: `The quantity must be greater than zero (got ${raw}).` };
  if (raw > maxQuantity) {
    return {
      ok: false,
      problem: `The quantity must be at most ${maxQuantity} units per event (got ${raw}).`,
    };
  }
  const micros = roundToMicros(raw);
  if (micros === 0n) {
    return { ok: false, problem: `The quantity ${raw} is below the smallest unit kept (0.000001).` };
  }
  const decimal = microsToDecimal(micros);
  return { ok: true, micros, decimal, value: Number(decimal) };
}

/** The exact decimal text of a millionths count: 20500000n → "20.5". */
export function microsToDecimal(micros: bigint): string {
  const negative = micros < 0n;
  const absolute = negative ? -micros : micros;
  const whole = absolute / microsPerUnit;
  const fraction = (absolute % microsPerUnit).toString().padStart(6, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

function roundToMicros(value: number): bigint {
  const { digits, exponent } = decimalDigitsOf(value);
  // value = digits × 10^exponent; scaled to millionths: digits × 10^(exponent + 6).
  const shift = exponent + 6;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const quotient = digits / divisor;
  return digits % divisor >= divisor / 2n ? quotient + 1n : quotient;
}

/** The shortest decimal of a positive double as integer digits and a power of ten. */
function decimalDigitsOf(value: number): { digits: bigint; exponent: number } {
  const [mantissa = "0", exponentText = "0"] = String(value).toLowerCase().split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  return { digits: BigInt(`${whole}${fraction}`), exponent: Number(exponentText) - fraction.length };
}
