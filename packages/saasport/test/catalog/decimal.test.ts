import { describe, expect, it } from "vitest";
import { moneyRules, normalizeDecimal, quantityRules, unitPriceRules } from "../../src/catalog/decimal.js";

describe("exact decimals", () => {
  it.each([
    ["49.99", moneyRules, "49.99"],
    ["49.9", moneyRules, "49.90"],
    [49.9, moneyRules, "49.90"],
    [0.07, moneyRules, "0.07"],
    [10, moneyRules, "10.00"],
    ["0", moneyRules, "0.00"],
    ["007.50", moneyRules, "7.50"],
    ["100.000", moneyRules, "100.00"],
    ["9999999999.99", moneyRules, "9999999999.99"],
    ["0.0001", unitPriceRules, "0.0001"],
    ["0.5", unitPriceRules, "0.50"],
    ["1000", quantityRules, "1000"],
    ["2.50", quantityRules, "2.5"],
    [0, quantityRules, "0"],
  ] as const)("normalises %j to %s", (raw, rules, expected) => {
    expect(normalizeDecimal(raw, rules)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["9.999", moneyRules, "must have at most 2 decimal places"],
    [0.1 + 0.2, moneyRules, "must have at most 2 decimal places"],
    ["-1", moneyRules, "must not be negative"],
    [-0.5, moneyRules, "must not be negative"],
    ["1e3", moneyRules, 'must be a decimal number such as "49.99" (got "1e3")'],
    ["", moneyRules, 'must be a decimal number such as "49.99" (got "")'],
    [" 1", moneyRules, 'must be a decimal number such as "49.99" (got " 1")'],
    ["1,000.00", moneyRules, 'must be a decimal number such as "49.99" (got "1,000.00")'],
    ["12345678901", moneyRules, "must have at most 10 digits before the decimal point"],
    [1e21, moneyRules, "must have at most 10 digits before the decimal point"],
    [1e-7, unitPriceRules, "must have at most 6 decimal places"],
    [Number.NaN, moneyRules, "must be a finite number"],
    [Number.POSITIVE_INFINITY, moneyRules, "must be a finite number"],
  ] as const)("rejects %j", (raw, rules, problem) => {
    expect(normalizeDecimal(raw, rules)).toEqual({ ok: false, problem });
  });
});
