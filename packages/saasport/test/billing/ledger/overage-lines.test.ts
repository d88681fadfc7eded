import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../src/billing/domain/money.js";
import {
  billingMonths,
  overageLinesOfTerm,
  type UsageDay,
} from "../../../src/billing/ledger/overage-lines.js";
import { type BilledTerm, termsFromEvents } from "../../../src/billing/ledger/terms.js";
import { type ContextOptions, context, History, privateOffer } from "./pure-support.js";

const flatTerm = (
  start: string,
  end: string,
  termUnit = "P1M",
  extra: Partial<BilledTerm> = {},
): BilledTerm => ({
  start,
  end,
  termUnit,
  paymentOption: termUnit === "P1M" ? "upfront" : "monthly",
  freeTrial: false,
  segments: [{ on: start, decidedAt: `${start}T09:00:00.000Z`, planId: "flat", seats: null }],
  ...extra,
});

const use = (day: string, quantity: string, dimension = "api-calls", planId = "flat"): UsageDay => ({
  planId,
  dimension,
  day,
  quantity,
});

const flat = (options: ContextOptions = {}) => context({ pricingModel: "flatRate", ...options });

const overage = (term: BilledTerm, usage: UsageDay[], asOf: string, options: ContextOptions = {}) =>
  overageLinesOfTerm(flat(options), term, usage, new Date(asOf)).map((line) => ({
    on: line.on,
    dimension: line.key.split("|").at(-2),
    period: `${line.periodStart}..${line.periodEnd}`,
    billable: line.quantity,
    unitPrice: line.unitPrice,
    amount: formatMoney(line.amount),
  }));

describe("billingMonths", () => {
  const months = (term: BilledTerm) =>
    billingMonths(term).map((month) => [month.start, month.endExclusive, month.finalAt.toISOString()]);

  it.each([
    [
      "a monthly term is one billing month, final a day after it ends",
      flatTerm("2025-03-01", "2025-03-31"),
      [["2025-03-01", "2025-04-01", "2025-04-02T00:00:00.000Z"]],
    ],
    [
      "a monthly term from the 31st runs to the day before the clamped next start",
      flatTerm("2025-01-31", "2025-02-27"),
      [["2025-01-31", "2025-02-28", "2025-03-01T00:00:00.000Z"]],
    ],
    [
      "a year has twelve months counted from its start, each clamped, never drifting",
      flatTerm("2025-01-31", "2026-01-30", "P1Y"),
      [
        ["2025-01-31", "2025-02-28", "2025-03-01T00:00:00.000Z"],
        ["2025-02-28", "2025-03-31", "2025-04-01T00:00:00.000Z"],
        ["2025-03-31", "2025-04-30", "2025-05-01T00:00:00.000Z"],
        ["2025-04-30", "2025-05-31", "2025-06-01T00:00:00.000Z"],
        ["2025-05-31", "2025-06-30", "2025-07-01T00:00:00.000Z"],
        ["2025-06-30", "2025-07-31", "2025-08-01T00:00:00.000Z"],
        ["2025-07-31", "2025-08-31", "2025-09-01T00:00:00.000Z"],
        ["2025-08-31", "2025-09-30", "2025-10-01T00:00:00.000Z"],
        ["2025-09-30", "2025-10-31", "2025-11-01T00:00:00.000Z"],
        ["2025-10-31", "2025-11-30", "2025-12-01T00:00:00.000Z"],
        ["2025-11-30", "2025-12-31", "2026-01-01T00:00:00.000Z"],
        ["2025-12-31", "2026-01-31", "2026-02-01T00:00:00.000Z"],
      ],
    ],
    [
      "a cancelled term keeps the months up to the one holding the cancellation day",
      flatTerm("2025-01-01", "2025-12-31", "P1Y", {
        cancellation: { at: "2025-03-01T12:00:00.000Z", withinRefundWindow: false },
      }),
      [
        ["2025-01-01", "2025-02-01", "2025-02-02T00:00:00.000Z"],
        ["2025-02-01", "2025-03-01", "2025-03-02T00:00:00.000Z"],
        ["2025-03-01", "2025-04-01", "2025-04-02T00:00:00.000Z"],
      ],
    ],
  ])("%s", (_name, term, expected) => {
    expect(months(term)).toEqual(expected);
  });
});

describe("overageLinesOfTerm", () => {
  const march = flatTerm("2025-03-01", "2025-03-31");

  it("(b) bills usage above the month's included quantity on the day after the month", () => {
    const usage = [use("2025-03-05", "600"), use("2025-03-20", "750")];
    expect(overage(march, usage, "2025-04-02T00:00:00.000Z")).toEqual([
      {
        on: "2025-04-01",
        dimension: "api-calls",
        period: "2025-03-01..2025-03-31",
        billable: "350",
        unitPrice: "0.01",
        amount: "3.50",
      },
    ]);
  });

  it("writes a month's line only once its usage is final, 24 hours after the month ends", () => {
    const usage = [use("2025-03-31", "1350")];
    expect(overage(march, usage, "2025-04-01T23:59:59.999Z")).toEqual([]);
    expect(overage(march, usage, "2025-04-02T00:00:00.000Z")).toHaveLength(1);
  });

  it("bills nothing within the included quantity, nor usage outside the term", () => {
    const usage = [use("2025-03-05", "1000"), use("2025-02-28", "5000"), use("2025-04-01", "5000")];
    expect(overage(march, usage, "2025-06-01T00:00:00.000Z")).toEqual([]);
  });

  it("draws an annual allowance down across the months, then bills each month's excess", () => {
    const year = flatTerm("2025-01-01", "2025-12-31", "P1Y");
    const usage = [
      use("2025-01-10", "5000"),
      use("2025-02-10", "6000"),
      use("2025-03-10", "3000"),
      use("2025-04-10", "1000.5"),
      use("2025-05-10", "0.25"),
    ];
    expect(
      overage(year, usage, "2025-07-01T00:00:00.000Z").map((line) => [line.on, line.billable, line.amount]),
    ).toEqual([
      ["2025-04-01", "2000", "20.00"],
      ["2025-05-01", "1000.5", "10.00"],
    ]);
    // 0.25 × 0.01 = 0.0025 rounds to 0.00: no line.
  });

  it("bills the same annual allowance the same way whether months became final one by one or at once", () => {
    const year = flatTerm("2025-01-01", "2025-12-31", "P1Y");
    const usage = [use("2025-01-10", "11000"), use("2025-02-10", "1500"), use("2025-03-10", "700")];
    const atOnce = overage(year, usage, "2025-12-01T00:00:00.000Z");
    const byMonth = ["2025-02-02", "2025-03-02", "2025-04-02", "2025-05-02"].flatMap((asOf) =>
      overage(year, usage, `${asOf}T00:00:00.000Z`),
    );
    expect([...new Map(byMonth.map((line) => [line.on, line])).values()]).toEqual(atOnce);
    expect(atOnce.map((line) => line.amount)).toEqual(["5.00", "7.00"]);
  });

  it("starts a new allowance with a new term", () => {
    const renewed = new History({ planId: "flat", termUnit: "P1M" })
      .purchase("2025-03-01T08:00:00.000Z")
      .activate("2025-03-01T09:00:00.000Z")
      .renew("2025-04-01");
    const usage = [use("2025-03-31", "1100"), use("2025-04-01", "1100")];
    const lines = termsFromEvents(renewed.events).flatMap((term) =>
      overage(term, usage, "2025-06-01T00:00:00.000Z"),
    );
    expect(lines.map((line) => [line.on, line.billable, line.amount])).toEqual([
      ["2025-04-01", "100", "1.00"],
      ["2025-05-01", "100", "1.00"],
    ]);
  });

  it("never bills a dimension whose included quantity is unlimited; bills all of one with none included", () => {
    const usage = [use("2025-03-05", "999999", "storage"), use("2025-03-05", "3", "exports")];
    expect(overage(march, usage, "2025-04-02T00:00:00.000Z")).toEqual([
      {
        on: "2025-04-01",
        dimension: "exports",
        period: "2025-03-01..2025-03-31",
        billable: "3",
        unitPrice: "2.00",
        amount: "6.00",
      },
    ]);
  });

  it("(c) applies a private discount to the meter, kept exact, and records the list amount", () => {
    const offers = [
      privateOffer("po-20", [{ planId: "flat", kind: "discount", discountPercent: "20" }], {
        validFrom: "2025-01-01",
        validTo: "2025-12-31",
        acceptedAt: "2025-02-20T10:00:00.000Z",
      }),
    ];
    const lines = overageLinesOfTerm(
      flat({ offers }),
      march,
      [use("2025-03-05", "1350")],
      new Date("2025-04-02T00:00:00.000Z"),
    );
    expect(
      lines.map((line) => ({
        unitPrice: line.unitPrice,
        amount: formatMoney(line.amount),
        list: line.listAmount && formatMoney(line.listAmount),
        offer: line.privateOfferId,
      })),
    ).toEqual([{ unitPrice: "0.008", amount: "2.80", list: "3.50", offer: "po-20" }]);
  });

  it("prices a meter an absolute private price names at its price; one it does not name stays at list", () => {
    const offers = [
      privateOffer(
        "po-abs",
        [
          {
            planId: "flat",
            kind: "absolute",
            absolutePrice: "30.00",
            currency: "USD",
            dimensionPrices: { "api-calls": "0.0075" },
          },
        ],
        { validFrom: "2025-01-01", validTo: "2025-12-31", acceptedAt: "2025-02-20T10:00:00.000Z" },
      ),
    ];
    const lines = overageLinesOfTerm(
      flat({ offers }),
      march,
      [use("2025-03-05", "1350"), use("2025-03-05", "3", "exports")],
      new Date("2025-04-02T00:00:00.000Z"),
    );
    expect(
      lines.map((line) => ({
        unitPrice: line.unitPrice,
        amount: formatMoney(line.amount),
        list: line.listAmount && formatMoney(line.listAmount),
        offer: line.privateOfferId,
      })),
    ).toEqual([
      // 350 × 0.0075 = 2.625, rounded once half-even: 2.62.
      { unitPrice: "0.0075", amount: "2.62", list: "3.50", offer: "po-abs" },
      { unitPrice: "2.00", amount: "6.00", list: null, offer: null },
    ]);
  });

  it("keeps overage of a cancelled term up to the month of the cancellation", () => {
    const cancelled = flatTerm("2025-01-01", "2025-12-31", "P1Y", {
      cancellation: { at: "2025-02-10T12:00:00.000Z", withinRefundWindow: false },
    });
    const usage = [use("2025-01-10", "13000"), use("2025-02-09", "100"), use("2025-03-10", "100")];
    expect(
      overage(cancelled, usage, "2026-01-01T00:00:00.000Z").map((line) => [line.on, line.amount]),
    ).toEqual([
      ["2025-02-01", "10.00"],
      ["2025-03-01", "1.00"],
    ]);
  });

  it("bills nothing on a free trial or on a per-user offer", () => {
    const usage = [use("2025-03-05", "5000")];
    expect(overage({ ...march, freeTrial: true }, usage, "2025-05-01T00:00:00.000Z")).toEqual([]);
    expect(
      overageLinesOfTerm(
        context({ pricingModel: "perUser" }),
        march,
        usage,
        new Date("2025-05-01T00:00:00.000Z"),
      ),
    ).toEqual([]);
  });

  it("bills each plan's usage against that plan's dimension after a mid-term plan change", () => {
    const year = flatTerm("2025-01-01", "2025-12-31", "P1Y", {
      segments: [
        { on: "2025-01-01", decidedAt: "2025-01-01T09:00:00.000Z", planId: "flat", seats: null },
        { on: "2025-02-15", decidedAt: "2025-02-15T09:00:00.000Z", planId: "flat-pro", seats: null },
      ],
    });
    const usage = [use("2025-01-10", "12500"), use("2025-02-20", "61000", "api-calls", "flat-pro")];
    expect(
      overage(year, usage, "2025-04-01T00:00:00.000Z").map((line) => [line.on, line.unitPrice, line.amount]),
    ).toEqual([
      ["2025-02-01", "0.01", "5.00"],
      ["2025-03-01", "0.005", "5.00"],
    ]);
  });

  it("records the reseller margin on overage", () => {
    const offers = [
      privateOffer("po-r", [{ planId: "flat", kind: "discount", discountPercent: "15" }], {
        validFrom: "2025-01-01",
        validTo: "2025-12-31",
        acceptedAt: "2025-02-20T10:00:00.000Z",
        audience: "reseller",
        tenant: "eeeeeeee-0000-4000-8000-000000000005",
      }),
    ];
    const [line] = overageLinesOfTerm(
      flat({ offers, reseller: true, payer: "eeeeeeee-0000-4000-8000-000000000005" }),
      march,
      [use("2025-03-05", "2000")],
      new Date("2025-04-02T00:00:00.000Z"),
    );
    expect(
      line && [line.amount, line.listAmount, line.resellerMargin].map((money) => money && formatMoney(money)),
    ).toEqual(["8.50", "10.00", "1.50"]);
  });
});
