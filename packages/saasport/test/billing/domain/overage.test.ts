import { describe, expect, it } from "vitest";
import { meteredOverage, type UsageMonth } from "../../../src/billing/domain/overage.js";
import type { TermUnit } from "../../../src/catalog/model.js";
import { billingError, text } from "./support.js";

const months = (...quantities: string[]): UsageMonth[] =>
  quantities.map((quantity, position) => ({ month: `m${position + 1}`, quantity }));

const overage = (
  termUnit: TermUnit,
  includedQuantity: string | undefined,
  unitPrice: string,
  usage: UsageMonth[],
  currency = "USD",
) =>
  meteredOverage({ termUnit, includedQuantity, unitPrice, currency, months: usage }).map((line) => [
    line.includedApplied,
    line.billable,
    text(line.amount),
  ]);

describe("metered overage", () => {
  it.each([
    ["exactly the included quantity", "1000", [["1000", "0", "0.00"]]],
    ["one unit more", "1001", [["1000", "1", "0.01"]]],
    ["less than included", "999.5", [["999.5", "0", "0.00"]]],
    ["half a unit over: 0.005 is a tie, rounded to the even cent", "1000.5", [["1000", "0.5", "0.00"]]],
    ["one and a half units over: 0.015 rounds to the even cent", "1001.5", [["1000", "1.5", "0.02"]]],
    ["nothing used", "0", [["0", "0", "0.00"]]],
    ["1,350 used at 0.01", "1350", [["1000", "350", "3.50"]]],
  ])("a monthly plan with 1,000 included: %s", (_, used, expected) => {
    expect(overage("P1M", "1000", "0.01", months(used))).toEqual(expected);
  });

  it("resets the included quantity every month of monthly terms", () => {
    expect(overage("P1M", "1000", "0.01", months("1200", "800", "1000.01"))).toEqual([
      ["1000", "200", "2.00"],
      ["800", "0", "0.00"],
      ["1000", "0.01", "0.00"],
    ]);
  });

  it("counts an annual included quantity from activation, then bills monthly until the term ends", () => {
    expect(overage("P1Y", "10000", "0.002", months("4000", "4000", "4000", "3000", "0", "1"))).toEqual([
      ["4000", "0", "0.00"],
      ["4000", "0", "0.00"],
      ["2000", "2000", "4.00"],
      ["0", "3000", "6.00"],
      ["0", "0", "0.00"],
      ["0", "1", "0.00"],
    ]);
  });

  it("never charges an unlimited dimension", () => {
    expect(overage("P1Y", "unlimited", "5.00", months("1000000", "0.5"))).toEqual([
      ["unlimited", "0", "0.00"],
      ["unlimited", "0", "0.00"],
    ]);
  });

  it("charges every unit when the dimension includes nothing for the term", () => {
    expect(overage("P2Y", undefined, "0.125", months("3", "20.5"))).toEqual([
      ["0", "3", "0.38"], // 0.375 → tie → 0.38 (even)
      ["0", "20.5", "2.56"], // 2.5625 → 2.56
    ]);
  });

  it("rounds yen to whole yen", () => {
    expect(overage("P1M", "0", "1.5", months("3"), "JPY")).toEqual([["0", "3", "4"]]); // 4.5 → 4
  });

  it("refuses negative or malformed quantities and unknown currencies", () => {
    expect(billingError(() => overage("P1M", "10", "0.01", months("-1"))).code).toBe("invalidQuantity");
    expect(billingError(() => overage("P1M", "10", "0.01", months("1e3"))).code).toBe("invalidQuantity");
    expect(billingError(() => overage("P1M", "-10", "0.01", months("1"))).code).toBe("invalidQuantity");
    expect(billingError(() => overage("P1M", "10", "0.01", months("11"), "XYZ")).code).toBe(
      "unknownCurrency",
    );
  });
});
