import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BillingError } from "../../../src/billing/domain/errors.js";
import { formatDecimal, parseDecimal, ratio, roundHalfEven } from "../../../src/billing/domain/exact.js";
import {
  add,
  allocate,
  currencyExponents,
  discounted,
  formatMoney,
  type Money,
  money,
  multiply,
  parseMoney,
  percentOf,
  subtract,
} from "../../../src/billing/domain/money.js";

const usd = (amount: string): Money => parseMoney(amount, "USD");
const text = (values: Money[]): string[] => values.map(formatMoney);

function billingError(run: () => unknown): BillingError {
  try {
    run();
  } catch (error) {
    if (error instanceof BillingError) return error;
    throw error;
  }
  throw new Error("expected a BillingError");
}

describe("parse and format", () => {
  it.each([
    ["49.99", "USD", 4999, "49.99"],
    ["49.9", "USD", 4990, "49.90"],
    ["0", "EUR", 0, "0.00"],
    ["-3.5", "GBP", -350, "-3.50"],
    ["0.05", "CHF", 5, "0.05"],
    ["1000", "JPY", 1000, "1000"],
    ["1000.00", "JPY", 1000, "1000"],
    ["12345678901.23", "KRW", undefined, undefined],
  ])("%s %s", (amount, currency, minor, formatted) => {
    if (minor === undefined) {
      expect(billingError(() => parseMoney(amount, currency)).code).toBe("invalidAmount");
      return;
    }
    const value = parseMoney(amount, currency);
    expect(value.minor).toBe(BigInt(minor));
    expect(formatMoney(value)).toBe(formatted);
  });

  it.each(["49.999", "1e3", "", " 1", "1.", ".5", "abc", "1,00"])("refuses %j", (amount) => {
    expect(billingError(() => parseMoney(amount, "USD")).code).toBe("invalidAmount");
  });

  it("refuses yen with cents", () => {
    expect(billingError(() => parseMoney("10.50", "JPY")).code).toBe("invalidAmount");
  });

  it("refuses an unknown currency", () => {
    expect(billingError(() => parseMoney("1.00", "XYZ")).code).toBe("unknownCurrency");
    expect(billingError(() => money("usd", 1n)).code).toBe("unknownCurrency");
    expect(billingError(() => money("toString", 1n)).code).toBe("unknownCurrency");
  });

  it("round-trips every amount in every currency", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(currencyExponents)),
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        (currency, minor) => {
          const value = money(currency, minor);
          expect(parseMoney(formatMoney(value), currency)).toEqual(value);
        },
      ),
    );
  });

  it("formats and reads back exact decimals", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.nat(12), (units, scale) => {
        const value = ratio(units, 10n ** BigInt(scale));
        expect(parseDecimal(formatDecimal(value))).toEqual(value);
      }),
    );
  });
});

describe("arithmetic", () => {
  it("adds and subtracts in one currency", () => {
    expect(formatMoney(add(usd("49.99"), usd("0.01")))).toBe("50.00");
    expect(formatMoney(subtract(usd("10.00"), usd("12.50")))).toBe("-2.50");
  });

  it("refuses to mix currencies", () => {
    expect(billingError(() => add(usd("1.00"), parseMoney("1.00", "EUR"))).code).toBe("currencyMismatch");
    expect(billingError(() => subtract(usd("1.00"), parseMoney("1", "JPY"))).code).toBe("currencyMismatch");
  });

  it.each([
    // [minor numerator, denominator, rounded]
    [5, 2, 2],
    [7, 2, 4],
    [-5, 2, -2],
    [-7, 2, -4],
    [51, 20, 3],
    [49, 20, 2],
    [-51, 20, -3],
    [1, 3, 0],
    [2, 3, 1],
  ])("rounds %d/%d half-even to %d", (numerator, denominator, rounded) => {
    expect(roundHalfEven(ratio(BigInt(numerator), BigInt(denominator)))).toBe(BigInt(rounded));
  });

  it.each([
    ["120.00", ["10"], "1200.00"],
    ["0.25", ["20.5"], "5.12"], // 5.125 → tie → even
    ["0.35", ["20.5"], "7.18"], // 7.175 → tie → even (8)
    ["1200.00", [{ days: 266, of: 365 }], "874.52"],
    ["1800.00", [{ days: 266, of: 365 }], "1311.78"],
    ["10.00", ["12", "10"], "1200.00"],
  ] as const)("%s × %j = %s", (amount, factors, expected) => {
    const exact = factors.map((factor) =>
      typeof factor === "string" ? factor : ratio(BigInt(factor.days), BigInt(factor.of)),
    );
    expect(formatMoney(multiply(usd(amount), ...exact))).toBe(expected);
  });

  it.each([
    ["100.00", "20", "20.00", "80.00"],
    ["99.99", "12.5", "12.50", "87.49"], // 12.49875 → 12.50; 87.49125 → 87.49
    ["1020.00", "3", "30.60", "989.40"],
    ["0.50", "3", "0.02", "0.48"], // 0.015 → tie → 0.02
    ["0.50", "100", "0.50", "0.00"],
  ])("%s with %s%%: %s of it, %s after the discount", (amount, percentage, part, rest) => {
    expect(formatMoney(percentOf(usd(amount), percentage))).toBe(part);
    expect(formatMoney(discounted(usd(amount), percentage))).toBe(rest);
  });

  it.each(["-1", "100.5", "x", "1e2"])("refuses the percentage %j", (percentage) => {
    expect(billingError(() => percentOf(usd("1.00"), percentage)).code).toBe("invalidPercent");
  });
});

describe("allocate", () => {
  it.each([
    ["100.00", 3, ["33.34", "33.33", "33.33"]],
    ["100.00", 12, [...Array(4).fill("8.34"), ...Array(8).fill("8.33")]],
    ["-100.00", 3, ["-33.34", "-33.33", "-33.33"]],
    ["0.02", 3, ["0.01", "0.01", "0.00"]],
  ] as const)("splits %s in %d", (total, parts, expected) => {
    expect(text(allocate(usd(total), parts))).toEqual(expected);
  });

  it("splits by weights, the largest dropped fraction first, then the earliest", () => {
    expect(text(allocate(usd("10.00"), [1, 1, 1]))).toEqual(["3.34", "3.33", "3.33"]);
    expect(text(allocate(usd("1.00"), [1, 2]))).toEqual(["0.33", "0.67"]);
    expect(text(allocate(usd("0.05"), [3, 0, 7]))).toEqual(["0.02", "0.00", "0.03"]);
    expect(text(allocate(usd("0.05"), [1, 1, 1, 1, 1, 1]))).toEqual([
      "0.01",
      "0.01",
      "0.01",
      "0.01",
      "0.01",
      "0.00",
    ]);
  });

  it("refuses no parts, negative weights and zero total weight", () => {
    expect(billingError(() => allocate(usd("1.00"), 0)).code).toBe("invalidAllocation");
    expect(billingError(() => allocate(usd("1.00"), [1, -1])).code).toBe("invalidAllocation");
    expect(billingError(() => allocate(usd("1.00"), [0, 0])).code).toBe("invalidAllocation");
  });

  it("equal parts sum exactly and differ by at most one minor unit", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
        fc.integer({ min: 1, max: 120 }),
        (minor, n) => {
          const parts = allocate(money("USD", minor), n);
          expect(parts).toHaveLength(n);
          expect(parts.reduce((a, part) => a + part.minor, 0n)).toBe(minor);
          const [first, second, ...more] = [...new Set(parts.map((part) => part.minor))];
          expect(more).toEqual([]);
          if (first !== undefined && second !== undefined) expect([1n, -1n]).toContain(first - second);
        },
      ),
    );
  });

  it("weighted parts sum exactly and stay within one minor unit of their exact share", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 20 }).filter((w) => w.some((x) => x > 0)),
        (minor, weights) => {
          const parts = allocate(money("EUR", minor), weights);
          expect(parts.reduce((a, part) => a + part.minor, 0n)).toBe(minor);
          const total = BigInt(weights.reduce((a, b) => a + b, 0));
          parts.forEach((part, index) => {
            const exactTimesTotal = minor * BigInt(weights[index] ?? 0);
            const distance = part.minor * total - exactTimesTotal;
            expect((distance < 0n ? -distance : distance) < total).toBe(true);
          });
        },
      ),
    );
  });
});
