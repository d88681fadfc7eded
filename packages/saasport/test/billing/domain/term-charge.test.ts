import { describe, expect, it } from "vitest";
import { meterUnitPrice, type PrivatePrice, termCharge } from "../../../src/billing/domain/term-charge.js";
import type { BillingTerm } from "../../../src/catalog/model.js";
import { billingError, day, text } from "./support.js";

const annualMonthly: BillingTerm = {
  termUnit: "P1Y",
  price: "10.00",
  currency: "USD",
  paymentOption: "monthly",
};
const annualUpfront: BillingTerm = {
  termUnit: "P1Y",
  price: "99.99",
  currency: "USD",
  paymentOption: "upfront",
};
const monthly: BillingTerm = { termUnit: "P1M", price: "49.00", currency: "EUR", paymentOption: "upfront" };
const window = { validFrom: day("2025-01-01"), validTo: day("2025-06-30") };
const twentyOff: PrivatePrice = { kind: "discount", percent: "20", ...window };
const absolute: PrivatePrice = {
  kind: "absolute",
  pricePerTerm: "75.00",
  dimensionPrices: { "api-calls": "0.005" },
  ...window,
};

describe("term charge", () => {
  it.each([
    ["flat rate upfront", "flatRate", annualUpfront, undefined, undefined, "99.99", "99.99"],
    ["flat rate, monthly term", "flatRate", monthly, undefined, undefined, "49.00", "49.00"],
    ["flat rate ignores seats", "flatRate", monthly, 7, undefined, "49.00", "49.00"],
    [
      "per user, paid monthly: price × 12 × seats",
      "perUser",
      annualMonthly,
      10,
      undefined,
      "1200.00",
      "1200.00",
    ],
    ["20% off the whole term", "perUser", annualMonthly, 10, twentyOff, "960.00", "1200.00"],
    [
      "12.5% off, rounded once half-even",
      "flatRate",
      annualUpfront,
      undefined,
      { ...twentyOff, percent: "12.5" },
      "87.49",
      "99.99",
    ],
    ["absolute price per seat", "perUser", annualMonthly, 10, absolute, "750.00", "1200.00"],
    [
      "absolute price on flat rate",
      "flatRate",
      monthly,
      undefined,
      { ...absolute, pricePerTerm: "30" },
      "30.00",
      "49.00",
    ],
  ] as const)("%s", (_, pricingModel, billingTerm, seats, privatePrice, amount, listAmount) => {
    const charge = termCharge({
      pricingModel,
      billingTerm,
      seats,
      termStart: day("2025-03-01"),
      privatePrice,
    });
    expect(text(charge.amount)).toBe(amount);
    expect(text(charge.listAmount)).toBe(listAmount);
    expect(charge.amount.currency).toBe(billingTerm.currency);
    expect(charge.privatePriceApplied).toBe(privatePrice !== undefined);
  });

  it("charges nothing for the free-trial term, and the list price on conversion", () => {
    const trial = termCharge({
      pricingModel: "flatRate",
      billingTerm: monthly,
      termStart: day("2025-03-01"),
      freeTrial: true,
    });
    expect([text(trial.amount), text(trial.listAmount), trial.freeTrial]).toEqual(["0.00", "49.00", true]);
    const converted = termCharge({
      pricingModel: "flatRate",
      billingTerm: monthly,
      termStart: day("2025-04-01"),
    });
    expect(text(converted.amount)).toBe("49.00");
  });

  it.each([
    ["2024-12-31", false],
    ["2025-01-01", true],
    ["2025-06-30", true],
    ["2025-07-01", false],
  ])("a private price valid 2025-01-01..2025-06-30 applies to a term starting %s: %s", (start, applies) => {
    const charge = termCharge({
      pricingModel: "perUser",
      billingTerm: annualMonthly,
      seats: 1,
      termStart: day(start),
      privatePrice: twentyOff,
    });
    expect(charge.privatePriceApplied).toBe(applies);
    expect(text(charge.amount)).toBe(applies ? "96.00" : "120.00");
  });

  it.each([0, -1, 1.5, undefined])("refuses %s seats on a per-user plan", (seats) => {
    expect(
      billingError(() =>
        termCharge({
          pricingModel: "perUser",
          billingTerm: annualMonthly,
          seats,
          termStart: day("2025-01-01"),
        }),
      ).code,
    ).toBe("invalidSeats");
  });

  it("refuses a price in an unknown currency", () => {
    expect(
      billingError(() =>
        termCharge({
          pricingModel: "flatRate",
          billingTerm: { ...monthly, currency: "XXX" },
          termStart: day("2025-01-01"),
        }),
      ).code,
    ).toBe("unknownCurrency");
  });
});

describe("meter unit price", () => {
  const dimension = { id: "api-calls", pricePerUnit: "0.01" };
  it.each([
    ["list price without a private price", undefined, "2025-03-01", "0.01"],
    ["20% off, kept exact", twentyOff, "2025-03-01", "0.008"],
    ["12.5% off a six-decimal price", { ...twentyOff, percent: "12.5" }, "2025-03-01", "0.00875"],
    ["the absolute price of the dimension", absolute, "2025-03-01", "0.005"],
    ["outside the validity window", twentyOff, "2025-07-01", "0.01"],
  ] as const)("%s", (_, privatePrice, start, expected) => {
    expect(meterUnitPrice(dimension, privatePrice, day(start))).toBe(expected);
  });

  it("keeps the list price of a dimension an absolute private price does not name", () => {
    expect(meterUnitPrice({ id: "storage-gb", pricePerUnit: "0.25" }, absolute, day("2025-03-01"))).toBe(
      "0.25",
    );
  });
});
