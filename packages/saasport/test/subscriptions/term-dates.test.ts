import { describe, expect, it } from "vitest";
import type { TermUnit } from "../../src/catalog/model.js";
import { termDates } from "../../src/subscriptions/term-dates.js";

describe("term dates: start at the activation day's UTC midnight, end = start + term − 1 day", () => {
  it.each<[string, TermUnit, string, string]>([
    ["2024-01-14T15:30:00Z", "P1M", "2024-01-14", "2024-02-13"],
    ["2020-12-23T00:00:00Z", "P1Y", "2020-12-23", "2021-12-22"],
    ["2019-10-31T23:59:59Z", "P1M", "2019-10-31", "2019-11-29"],
    ["2020-01-31T08:00:00Z", "P1M", "2020-01-31", "2020-02-28"],
    ["2021-01-29T08:00:00Z", "P1M", "2021-01-29", "2021-02-27"],
    ["2024-02-29T12:00:00Z", "P1Y", "2024-02-29", "2025-02-27"],
    ["2026-03-31T00:00:00Z", "P1M", "2026-03-31", "2026-04-29"],
    ["2026-11-25T10:00:00Z", "P2Y", "2026-11-25", "2028-11-24"],
    ["2026-01-01T00:00:00Z", "P3Y", "2026-01-01", "2028-12-31"],
    ["2026-12-31T23:00:00Z", "P5Y", "2026-12-31", "2031-12-30"],
  ])("%s + %s → %s .. %s", (activatedAt, termUnit, start, end) => {
    const dates = termDates(new Date(activatedAt), termUnit);
    expect(dates.startDate.toISOString()).toBe(`${start}T00:00:00.000Z`);
    expect(dates.endDate.toISOString()).toBe(`${end}T00:00:00.000Z`);
  });
});
