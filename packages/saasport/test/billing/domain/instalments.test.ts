import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instalmentCount, instalments } from "../../../src/billing/domain/instalments.js";
import { currencyExponents, money } from "../../../src/billing/domain/money.js";
import { allowedPaymentOptions, paymentOptions, termUnits } from "../../../src/catalog/model.js";
import { billingError, day, text, usd } from "./support.js";

describe("instalments", () => {
  it.each([
    ["P1M", "upfront", 1],
    ["P1Y", "upfront", 1],
    ["P1Y", "monthly", 12],
    ["P2Y", "monthly", 24],
    ["P2Y", "annual", 2],
    ["P3Y", "annual", 3],
    ["P5Y", "monthly", 60],
    ["P5Y", "annual", 5],
  ] as const)("a %s term paid %s has %d instalments", (termUnit, option, count) => {
    expect(instalmentCount(termUnit, option)).toBe(count);
    expect(instalments(usd("100.00"), termUnit, option, day("2025-01-01"))).toHaveLength(count);
  });

  it.each([
    ["P1M", "monthly"],
    ["P1M", "annual"],
    ["P1Y", "annual"],
  ] as const)("refuses a %s term paid %s (spec §8)", (termUnit, option) => {
    expect(billingError(() => instalments(usd("1.00"), termUnit, option, day("2025-01-01"))).code).toBe(
      "paymentOptionNotAllowed",
    );
  });

  it("pays a year monthly from Jan 31 on the last day of shorter months", () => {
    const schedule = instalments(usd("1200.05"), "P1Y", "monthly", day("2024-01-31"));
    expect(schedule.map((i) => i.dueOn)).toEqual([
      "2024-01-31",
      "2024-02-29",
      "2024-03-31",
      "2024-04-30",
      "2024-05-31",
      "2024-06-30",
      "2024-07-31",
      "2024-08-31",
      "2024-09-30",
      "2024-10-31",
      "2024-11-30",
      "2024-12-31",
    ]);
    expect(schedule.map((i) => i.coversUntil).slice(0, 2)).toEqual(["2024-02-28", "2024-03-30"]);
    expect(schedule.at(-1)?.coversUntil).toBe("2025-01-30");
    expect(schedule.map((i) => text(i.amount))).toEqual([
      ...Array(5).fill("100.01"),
      ...Array(7).fill("100.00"),
    ]);
    expect(schedule.map((i) => i.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("pays a three-year term yearly on the anniversary, a leap day clamped to Feb 28", () => {
    const schedule = instalments(usd("3000.00"), "P3Y", "annual", day("2024-02-29"));
    expect(schedule.map((i) => [i.dueOn, i.coversUntil, text(i.amount)])).toEqual([
      ["2024-02-29", "2025-02-27", "1000.00"],
      ["2025-02-28", "2026-02-27", "1000.00"],
      ["2026-02-28", "2027-02-27", "1000.00"],
    ]);
  });

  it("sums exactly to the term price for every term, payment option, currency and price", () => {
    const allowed = termUnits.flatMap((termUnit) =>
      paymentOptions
        .filter((option) => allowedPaymentOptions[termUnit].includes(option))
        .map((option) => [termUnit, option] as const),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...allowed),
        fc.constantFrom(...Object.keys(currencyExponents)),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        ([termUnit, option], currency, minor, start) => {
          const schedule = instalments(money(currency, minor), termUnit, option, start);
          expect(schedule.reduce((total, i) => total + i.amount.minor, 0n)).toBe(minor);
          const amounts = schedule.map((i) => i.amount.minor);
          // The first instalments carry the extra minor units: amounts never grow along the schedule.
          amounts.slice(1).forEach((amount, position) => {
            expect(amount <= (amounts[position] ?? 0n)).toBe(true);
          });
          expect((amounts[0] ?? 0n) - (amounts.at(-1) ?? 0n) <= 1n).toBe(true);
          const dueDays = schedule.map((i) => i.dueOn);
          expect([...dueDays].sort()).toEqual(dueDays);
          expect(new Set(dueDays).size).toBe(dueDays.length);
        },
      ),
    );
  });
});
