import { badArgument } from "../../../http/errors.js";

/** The longest revenue report one request may ask for: ten years. */
export const maxRevenueMonthsApart = 120;

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** "2025-03" → a running month number, so that two months can be subtracted. */
function monthNumber(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function checkedMonth(field: "from" | "to", value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!monthPattern.test(value)) {
    throw badArgument(
      field,
      `${field} must be a month such as 2025-03 (YYYY-MM), not "${value.slice(0, 20)}".`,
    );
  }
  return value;
}

/** Optional `from`/`to` months (payout statements): each well formed, and `to` not before `from`. */
export function optionalMonthRange(query: { from?: string | undefined; to?: string | undefined }): {
  from: string | undefined;
  to: string | undefined;
} {
  const from = checkedMonth("from", query.from);
  const to = checkedMonth("to", query.to);
  if (from !== undefined && to !== undefined && monthNumber(to) < monthNumber(from)) {
    throw badArgument("to", `to (${to}) must not be before from (${from}).`);
  }
  return { from, to };
}

/** Required `from`/`to` months (revenue), at most `maxRevenueMonthsApart` apart. */
export function requiredMonthRange(query: { from: string; to: string }): { from: string; to: string } {
  const { from, to } = optionalMonthRange(query) as { from: string; to: string };
  if (monthNumber(to) - monthNumber(from) > maxRevenueMonthsApart) {
    throw badArgument("to", `from and to must be at most ${maxRevenueMonthsApart} months apart.`);
  }
  return { from, to };
}
