/** Calendar days as the billing rules count them: UTC days, written as ISO dates ("2025-04-10"). */

const dayMs = 86_400_000;

export function isoDate(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a), both taken at their UTC day. */
export function daysBetween(a: Date, b: Date): number {
  return Math.round((utcDay(b) - utcDay(a)) / dayMs);
}

/** Days from first to last, both counted: the same day is 1. */
export function inclusiveDays(first: Date, last: Date): number {
  return daysBetween(first, last) + 1;
}

function utcDay(instant: Date): number {
  return Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
}
