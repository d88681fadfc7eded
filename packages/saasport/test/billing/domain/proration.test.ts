import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instalmentCount } from "../../../src/billing/domain/instalments.js";
import { discounted, money, parseMoney } from "../../../src/billing/domain/money.js";
import { billTerm, prorate, prorateWithinPeriod } from "../../../src/billing/domain/proration.js";
import { allowedPaymentOptions, paymentOptions, termUnits } from "../../../src/catalog/model.js";
import { addDays, termDates } from "../../../src/subscriptions/term-dates.js";
import { billingError, day, text, usd } from "./support.js";

const april = { periodStart: day("2025-04-01"), periodEnd: day("2025-04-30") };

describe("prorate one change", () => {
  it.each([
    // change day, remaining days (the change day counts), credit, charge
    ["2025-04-10", 21, "70.00", "105.00"],
    ["2025-04-01", 30, "100.00", "150.00"],
    ["2025-04-30", 1, "3.33", "5.00"],
    ["2025-04-16", 15, "50.00", "75.00"],
  ])("100.00 → 150.00 on %s: %d days, credit %s, charge %s", (on, remainingDays, credit, charge) => {
    const result = prorate({
      ...april,
      changeOn: day(on),
      oldPrice: usd("100.00"),
      newPrice: usd("150.00"),
      policy: "prorate",
    });
    expect([result.remainingDays, result.periodDays, text(result.credit), text(result.charge)]).toEqual([
      remainingDays,
      30,
      credit,
      charge,
    ]);
  });

  it("prorates a downgrade and a whole term by day", () => {
    const term = { periodStart: day("2025-01-01"), periodEnd: day("2025-12-31") };
    const result = prorate({
      ...term,
      changeOn: day("2025-04-10"),
      oldPrice: usd("1800.00"),
      newPrice: usd("1200.00"),
      policy: "prorate",
    });
    // 99 days used of 365: 1800 × 99 / 365 = 488.219… → 488.22; the rest of the 1800.00 is credited.
    expect([text(result.credit), text(result.charge), result.remainingDays]).toEqual([
      "1311.78",
      "874.52",
      266,
    ]);
  });

  it("settles nothing under policy none", () => {
    const result = prorate({
      ...april,
      changeOn: day("2025-04-10"),
      oldPrice: usd("100.00"),
      newPrice: usd("150.00"),
      policy: "none",
    });
    expect([text(result.credit), text(result.charge), result.remainingDays]).toEqual(["0.00", "0.00", 21]);
  });

  it("refuses a change outside the period, a negative price and mixed currencies", () => {
    const base = { ...april, oldPrice: usd("100.00"), newPrice: usd("150.00"), policy: "prorate" as const };
    expect(billingError(() => prorate({ ...base, changeOn: day("2025-05-01") })).code).toBe("invalidChange");
    expect(billingError(() => prorate({ ...base, changeOn: day("2025-03-31") })).code).toBe("invalidChange");
    expect(
      billingError(() => prorate({ ...base, changeOn: day("2025-04-10"), newPrice: usd("-1.00") })).code,
    ).toBe("invalidAmount");
    expect(
      billingError(() =>
        prorate({ ...base, changeOn: day("2025-04-10"), newPrice: parseMoney("150.00", "EUR") }),
      ).code,
    ).toBe("currencyMismatch");
  });

  it("keeps a period's total one rounding of the exact day-weighted prices across several changes", () => {
    // Naive per-change rounding would charge 0.04 here for a period whose dearest price is 0.03.
    const period = { periodStart: day("2025-01-01"), periodEnd: day("2025-01-10") };
    const lines = prorateWithinPeriod({
      ...period,
      price: usd("0.03"),
      changes: [
        { on: day("2025-01-08"), newPrice: usd("0.02") },
        { on: day("2025-01-09"), newPrice: usd("0.03") },
      ],
      policy: "prorate",
    });
    const total = lines.reduce((sum, line) => sum - line.credit.minor + line.charge.minor, 3n);
    expect(total).toBe(3n);
  });
  it("keeps any period between zero and its dearest price, whatever the changes (small prices, many ties)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(
          fc.record({ day: fc.integer({ min: 0, max: 30 }), price: fc.integer({ min: 0, max: 10 }) }),
          { maxLength: 8 },
        ),
        (periodDays, initial, specs) => {
          const periodStart = day("2025-01-01");
          const lines = prorateWithinPeriod({
            periodStart,
            periodEnd: addDays(periodStart, periodDays - 1),
            price: money("USD", BigInt(initial)),
            changes: specs.map((spec) => ({
              on: addDays(periodStart, spec.day % periodDays),
              newPrice: money("USD", BigInt(spec.price)),
            })),
            policy: "prorate",
          });
          const total = lines.reduce(
            (sum, line) => sum - line.credit.minor + line.charge.minor,
            BigInt(initial),
          );
          const dearest = BigInt(Math.max(initial, ...specs.map((spec) => spec.price)));
          expect(total >= 0n && total <= dearest).toBe(true);
          expect(lines.every((line) => line.credit.minor >= 0n && line.charge.minor >= 0n)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("a term with a sequence of changes", () => {
  it("charges an upfront term once and settles each change on the term", () => {
    const bill = billTerm({
      termStart: day("2025-01-01"),
      termUnit: "P1Y",
      paymentOption: "upfront",
      termPrice: usd("1200.00"),
      changes: [
        { on: day("2025-04-10"), newTermPrice: usd("1800.00") },
        { on: day("2025-10-01"), newTermPrice: usd("600.00") },
      ],
      policy: "prorate",
    });
    expect(bill.lines.map((line) => [line.kind, line.on, text(line.amount)])).toEqual([
      ["instalment", "2025-01-01", "1200.00"],
      ["prorationCredit", "2025-04-10", "-874.52"],
      ["prorationCharge", "2025-04-10", "1311.78"],
      // used so far: 1200 × 99/365 + 1800 × 174/365 = 1183.56 (exact 1183.561…); 92 days remain.
      ["prorationCredit", "2025-10-01", "-453.70"],
      ["prorationCharge", "2025-10-01", "151.23"],
    ]);
    expect(text(bill.total)).toBe("1334.79");
  });

  it("switches the instalments after a change to the new price's schedule", () => {
    const bill = billTerm({
      termStart: day("2025-01-01"),
      termUnit: "P2Y",
      paymentOption: "annual",
      termPrice: usd("2000.00"),
      changes: [{ on: day("2026-01-01"), newTermPrice: usd("3000.00") }],
      policy: "prorate",
    });
    expect(bill.lines.map((line) => [line.kind, line.on, text(line.amount)])).toEqual([
      ["instalment", "2025-01-01", "1000.00"],
      ["instalment", "2026-01-01", "1000.00"],
      ["prorationCredit", "2026-01-01", "-1000.00"],
      ["prorationCharge", "2026-01-01", "1500.00"],
    ]);
  });

  it("keeps the old schedule under policy none", () => {
    const bill = billTerm({
      termStart: day("2025-01-01"),
      termUnit: "P1Y",
      paymentOption: "monthly",
      termPrice: usd("1200.00"),
      changes: [{ on: day("2025-04-10"), newTermPrice: usd("1800.00") }],
      policy: "none",
    });
    expect(bill.lines.every((line) => line.kind === "instalment" && text(line.amount) === "100.00")).toBe(
      true,
    );
    expect(text(bill.total)).toBe("1200.00");
  });

  it("refuses a change outside the term or in another currency", () => {
    const base = {
      termStart: day("2025-01-01"),
      termUnit: "P1Y" as const,
      paymentOption: "monthly" as const,
      termPrice: usd("1200.00"),
      policy: "prorate" as const,
    };
    expect(
      billingError(() =>
        billTerm({ ...base, changes: [{ on: day("2026-01-01"), newTermPrice: usd("1.00") }] }),
      ).code,
    ).toBe("invalidChange");
    expect(
      billingError(() =>
        billTerm({ ...base, changes: [{ on: day("2025-02-01"), newTermPrice: parseMoney("1.00", "GBP") }] }),
      ).code,
    ).toBe("currencyMismatch");
  });

  it("never charges more than the dearest plan's full term price at the largest seat count, nor less than zero", () => {
    const allowed = termUnits.flatMap((termUnit) =>
      paymentOptions
        .filter((option) => allowedPaymentOptions[termUnit].includes(option))
        .map((option) => [termUnit, option] as const),
    );
    // A plan: its catalog price (one payment per seat, in minor units) and a private discount in tenths of a
    // percent, so term prices often do not split evenly into instalments.
    const plans = fc.array(
      fc.record({
        payment: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 50_000 })),
        discountTenths: fc.integer({ min: 0, max: 1000 }),
      }),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...allowed),
        fc.constantFrom("USD", "JPY"),
        plans,
        fc.date({ min: new Date("2020-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }),
        fc.constantFrom("prorate" as const, "none" as const),
        fc.array(
          fc.record({
            day: fc.nat(),
            plan: fc.nat(),
            seats: fc.integer({ min: 1, max: 40 }),
          }),
          { maxLength: 12 },
        ),
        fc.record({ plan: fc.nat(), seats: fc.integer({ min: 1, max: 40 }) }),
        ([termUnit, option], currency, planList, start, policy, changeSpecs, initial) => {
          const count = BigInt(instalmentCount(termUnit, option));
          // A term price is payment × instalments × seats, less the plan's discount, rounded once.
          const termPrice = (plan: number, seats: number) => {
            const { payment, discountTenths } = planList[plan % planList.length] ?? {
              payment: 0,
              discountTenths: 0,
            };
            const percent = `${Math.floor(discountTenths / 10)}.${discountTenths % 10}`;
            return discounted(money(currency, BigInt(payment) * count * BigInt(seats)), percent);
          };
          const { startDate, endDate } = termDates(start, termUnit);
          const termDays = Math.round((endDate.getTime() - startDate.getTime()) / 86_400_000);
          const changes = changeSpecs.map((change) => ({
            on: addDays(startDate, change.day % (termDays + 1)),
            newTermPrice: termPrice(change.plan, change.seats),
          }));
          const bill = billTerm({
            termStart: start,
            termUnit,
            paymentOption: option,
            termPrice: termPrice(initial.plan, initial.seats),
            changes,
            policy,
          });
          const used = [initial, ...changeSpecs];
          const largestSeats = Math.max(...used.map((change) => change.seats));
          let ceiling = 0n;
          for (const change of used) {
            const full = termPrice(change.plan, largestSeats).minor;
            if (full > ceiling) ceiling = full;
          }
          expect(bill.total.minor >= 0n).toBe(true);
          expect(bill.total.minor <= ceiling).toBe(true);
          expect(bill.lines.reduce((total, line) => total + line.amount.minor, 0n)).toBe(bill.total.minor);
          if (changes.length === 0 || policy === "none") {
            expect(bill.total).toEqual(termPrice(initial.plan, initial.seats));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
