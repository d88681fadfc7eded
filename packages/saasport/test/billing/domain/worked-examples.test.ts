import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../../src/billing/domain/exact.js";
import { payoutStatements, resellerMargin, storeFee } from "../../../src/billing/domain/fees.js";
import { instalments } from "../../../src/billing/domain/instalments.js";
import { add, allocate, roundToMoney, sum } from "../../../src/billing/domain/money.js";
import { meteredOverage } from "../../../src/billing/domain/overage.js";
import { billTerm } from "../../../src/billing/domain/proration.js";
import { meterUnitPrice, type PrivatePrice, termCharge } from "../../../src/billing/domain/term-charge.js";
import type { BillingTerm, MeteringDimension } from "../../../src/catalog/model.js";
import { day, text } from "./support.js";

/** Every number of docs/billing.md's worked examples, so the document cannot drift from the code. */

describe("the rounding and splitting examples", () => {
  it.each([
    ["0.125", "0.12"],
    ["0.135", "0.14"],
    ["-0.125", "-0.12"],
  ])("%s rounds half-even to %s", (exact, rounded) => {
    expect(text(roundToMoney("USD", parseDecimal(exact)))).toBe(rounded);
  });

  it("splits with the first parts carrying the extra cents", () => {
    expect(allocate(roundToMoney("USD", parseDecimal("100")), 3).map(text)).toEqual([
      "33.34",
      "33.33",
      "33.33",
    ]);
    const monthly = instalments(
      roundToMoney("USD", parseDecimal("100")),
      "P1Y",
      "monthly",
      day("2024-01-31"),
    );
    expect(monthly.map((i) => text(i.amount))).toEqual([...Array(4).fill("8.34"), ...Array(8).fill("8.33")]);
    expect(monthly.slice(0, 4).map((i) => i.dueOn)).toEqual([
      "2024-01-31",
      "2024-02-29",
      "2024-03-31",
      "2024-04-30",
    ]);
  });
});

describe("(a) per-seat annual plan paid monthly, seats 10 → 15 on day 100", () => {
  const term: BillingTerm = { termUnit: "P1Y", price: "10.00", currency: "USD", paymentOption: "monthly" };
  const termStart = day("2025-01-01");
  const tenSeats = termCharge({ pricingModel: "perUser", billingTerm: term, seats: 10, termStart });
  const fifteenSeats = termCharge({ pricingModel: "perUser", billingTerm: term, seats: 15, termStart });

  it("costs 1,200.00 for the term, paid in 12 instalments of 100.00", () => {
    expect(text(tenSeats.amount)).toBe("1200.00");
    const schedule = instalments(tenSeats.amount, "P1Y", "monthly", termStart);
    expect(schedule.map((i) => [i.index, i.dueOn, text(i.amount)])).toEqual(
      Array.from({ length: 12 }, (_, position) => [
        position + 1,
        `2025-${String(position + 1).padStart(2, "0")}-01`,
        "100.00",
      ]),
    );
  });

  it("settles April by day and moves May to December to 150.00", () => {
    expect(text(fifteenSeats.amount)).toBe("1800.00");
    const bill = billTerm({
      termStart,
      termUnit: "P1Y",
      paymentOption: "monthly",
      termPrice: tenSeats.amount,
      changes: [{ on: day("2025-04-10"), newTermPrice: fifteenSeats.amount }],
      policy: "prorate",
    });
    expect(bill.lines.map((line) => [line.kind, line.on, text(line.amount)])).toEqual([
      ["instalment", "2025-01-01", "100.00"],
      ["instalment", "2025-02-01", "100.00"],
      ["instalment", "2025-03-01", "100.00"],
      ["instalment", "2025-04-01", "100.00"],
      ["prorationCredit", "2025-04-10", "-70.00"],
      ["prorationCharge", "2025-04-10", "105.00"],
      ...Array.from({ length: 8 }, (_, position) => [
        "instalment",
        `2025-${String(position + 5).padStart(2, "0")}-01`,
        "150.00",
      ]),
    ]);
    expect(text(bill.total)).toBe("1635.00");
    // Invoices cut on the billing day: May carries instalment 5 and the two April lines.
    const may = bill.lines.filter((line) => line.on > "2025-04-01" && line.on <= "2025-05-01");
    expect(
      text(
        sum(
          "USD",
          may.map((line) => line.amount),
        ),
      ),
    ).toBe("185.00");
  });

  it("paid upfront instead, settles the same change over the 266 days left of the term", () => {
    const upfront = { ...term, price: "120.00", paymentOption: "upfront" as const };
    const before = termCharge({ pricingModel: "perUser", billingTerm: upfront, seats: 10, termStart });
    const after = termCharge({ pricingModel: "perUser", billingTerm: upfront, seats: 15, termStart });
    const bill = billTerm({
      termStart,
      termUnit: "P1Y",
      paymentOption: "upfront",
      termPrice: before.amount,
      changes: [{ on: day("2025-04-10"), newTermPrice: after.amount }],
      policy: "prorate",
    });
    expect(bill.lines.map((line) => text(line.amount))).toEqual(["1200.00", "-874.52", "1311.78"]);
    expect(text(bill.total)).toBe("1637.26");
  });

  it("under policy none keeps 100.00 a month until the term ends", () => {
    const bill = billTerm({
      termStart,
      termUnit: "P1Y",
      paymentOption: "monthly",
      termPrice: tenSeats.amount,
      changes: [{ on: day("2025-04-10"), newTermPrice: fifteenSeats.amount }],
      policy: "none",
    });
    expect(text(bill.total)).toBe("1200.00");
  });
});

const starter: BillingTerm = { termUnit: "P1M", price: "49.00", currency: "USD", paymentOption: "upfront" };
const apiCalls: MeteringDimension = {
  id: "api-calls",
  displayName: "API calls",
  unitOfMeasure: "call",
  pricePerUnit: "0.01",
  currency: "USD",
  includedQuantity: { P1M: "1000" },
};
const march = day("2025-03-01");

function month(privatePrice: PrivatePrice | undefined) {
  const charge = termCharge({
    pricingModel: "flatRate",
    billingTerm: starter,
    termStart: march,
    privatePrice,
  });
  const unitPrice = meterUnitPrice(apiCalls, privatePrice, march);
  const [overage] = meteredOverage({
    termUnit: "P1M",
    includedQuantity: apiCalls.includedQuantity.P1M,
    unitPrice,
    currency: "USD",
    months: [{ month: "2025-03", quantity: "1350" }],
  });
  if (!overage) throw new Error("one month in, one line out");
  return { charge, unitPrice, overage, total: add(charge.amount, overage.amount) };
}

describe("(b) flat-rate monthly plan with 1,000 API calls included, 1,350 used", () => {
  it("bills 350 calls at 0.01: 3.50 of overage", () => {
    const { charge, overage, total } = month(undefined);
    expect(text(charge.amount)).toBe("49.00");
    expect([overage.includedApplied, overage.billable, text(overage.amount)]).toEqual([
      "1000",
      "350",
      "3.50",
    ]);
    expect(text(total)).toBe("52.50");
  });
});

describe("(c) the same month under a private offer at 20% off", () => {
  it("takes 20% off the term price and the meter", () => {
    const privatePrice: PrivatePrice = {
      kind: "discount",
      percent: "20",
      validFrom: day("2025-01-01"),
      validTo: day("2025-12-31"),
    };
    const { charge, unitPrice, overage, total } = month(privatePrice);
    expect(text(charge.listAmount)).toBe("49.00");
    expect(text(charge.amount)).toBe("39.20");
    expect(unitPrice).toBe("0.008");
    expect(text(overage.amount)).toBe("2.80");
    expect(text(total)).toBe("42.00");
  });
});

describe("(d) a reseller buys 10 seats with a private price 15% below list", () => {
  it("pays 1,020.00; the margin is 180.00; the store keeps 30.60 and pays out 989.40", () => {
    const annual: BillingTerm = {
      termUnit: "P1Y",
      price: "120.00",
      currency: "USD",
      paymentOption: "upfront",
    };
    const charge = termCharge({
      pricingModel: "perUser",
      billingTerm: annual,
      seats: 10,
      termStart: day("2025-02-01"),
      privatePrice: {
        kind: "discount",
        percent: "15",
        validFrom: day("2025-01-01"),
        validTo: day("2025-06-30"),
      },
    });
    expect(text(charge.listAmount)).toBe("1200.00");
    expect(text(charge.amount)).toBe("1020.00");
    expect(text(resellerMargin(charge.listAmount, charge.amount))).toBe("180.00");
    const { fee, payout } = storeFee(charge.amount);
    expect([text(fee), text(payout)]).toEqual(["30.60", "989.40"]);
    const [statement] = payoutStatements([
      { publisherId: "contoso", month: "2025-02", amount: charge.amount },
    ]);
    expect(
      statement && [text(statement.collected), text(statement.storeFee), text(statement.payout)],
    ).toEqual(["1020.00", "30.60", "989.40"]);
  });
});
