import type { TermUnit } from "../catalog/model.js";

const monthsPerTerm: Record<TermUnit, number> = { P1M: 1, P1Y: 12, P2Y: 24, P3Y: 36, P4Y: 48, P5Y: 60 };

export function termMonths(termUnit: TermUnit): number {
  return monthsPerTerm[termUnit];
}

export function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

/** Adds calendar months, clamping to the last day of the target month (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsClamped(day: Date, months: number): Date {
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth() + months;
  const lastDayOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(day.getUTCDate(), lastDayOfTarget)));
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * 86_400_000);
}

/**
 * A term starts on a UTC midnight and ends on its last day: start + term (calendar-clamped) − 1 day,
 * as live data shows (2020-01-31 → 2020-02-28, 2024-01-14 → 2024-02-13, 2020-12-23 → 2021-12-22).
 */
export function termDates(activatedAt: Date, termUnit: TermUnit): { startDate: Date; endDate: Date } {
  const startDate = startOfUtcDay(activatedAt);
  return { startDate, endDate: addDays(addMonthsClamped(startDate, termMonths(termUnit)), -1) };
}
