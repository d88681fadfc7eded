import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../src/billing/domain/money.js";
import { flatLinesOfTerm } from "../../../src/billing/ledger/flat-lines.js";
import type { ComputedLine } from "../../../src/billing/ledger/ledger-line.js";
import { termsFromEvents } from "../../../src/billing/ledger/terms.js";
import { brief, type ContextOptions, context, History, plan, privateOffer, term } from "./pure-support.js";

/** The seat plan of worked example (a), bought with 10 seats on 2025-01-01. */
function desk(paymentOption: "monthly" | "upfront" = "monthly", seats = 10) {
  return new History({ planId: "desk", quantity: seats, termUnit: "P1Y", paymentOption })
    .purchase("2025-01-01T08:00:00.000Z")
    .activate("2025-01-01T09:00:00.000Z");
}

function linesOf(history: History, options: ContextOptions = {}, termIndex = 0): ComputedLine[] {
  const term = termsFromEvents(history.events)[termIndex];
  if (!term) throw new Error("no such term");
  return flatLinesOfTerm(context(options), term);
}

const total = (lines: ComputedLine[]) =>
  formatMoney({ currency: "USD", minor: lines.reduce((sum, line) => sum + line.amount.minor, 0n) });

const monthly = (from: number, to: number, amount: string): [string, string, string][] =>
  Array.from({ length: to - from + 1 }, (_, index) => [
    "instalment",
    `2025-${String(from + index).padStart(2, "0")}-01`,
    amount,
  ]);

describe("flatLinesOfTerm", () => {
  it("(a) bills a seat increase on day 100 with a credit, a charge and the new instalments", () => {
    const lines = linesOf(desk().change("2025-04-10T10:00:00.000Z", { quantity: 15 }));
    expect(lines.map(brief)).toEqual([
      ...monthly(1, 4, "100.00"),
      ["prorationCredit", "2025-04-10", "-70.00"],
      ["prorationCharge", "2025-04-10", "105.00"],
      ...monthly(5, 12, "150.00"),
    ]);
    expect(total(lines)).toBe("1635.00");
    const credit = lines.find((line) => line.kind === "prorationCredit");
    const charge = lines.find((line) => line.kind === "prorationCharge");
    expect([credit?.quantity, charge?.quantity, lines.at(-1)?.quantity]).toEqual(["10", "15", "15"]);
    expect([credit?.periodStart, credit?.periodEnd]).toEqual(["2025-04-10", "2025-04-30"]);
    expect(lines[0]).toMatchObject({
      periodStart: "2025-01-01",
      periodEnd: "2025-01-31",
      planId: "desk",
      description: "desk plan: instalment 1 of 12, term 2025-01-01 to 2025-12-31, 10 seats",
      listAmount: null,
      resellerMargin: null,
      privateOfferId: null,
    });
  });

  it("(a) the same change on the plan paid upfront settles the whole term", () => {
    const lines = linesOf(desk("upfront").change("2025-04-10T10:00:00.000Z", { quantity: 15 }));
    expect(lines.map(brief)).toEqual([
      ["instalment", "2025-01-01", "1200.00"],
      ["prorationCredit", "2025-04-10", "-874.52"],
      ["prorationCharge", "2025-04-10", "1311.78"],
    ]);
    expect(total(lines)).toBe("1637.26");
    expect(lines[0]?.description).toBe("desk plan: term 2025-01-01 to 2025-12-31, 10 seats");
  });

  it("(a) under policy none the term keeps its price and the change waits for the next term", () => {
    const history = desk().change("2025-04-10T10:00:00.000Z", { quantity: 15 });
    const lines = linesOf(history, { policy: "none" });
    expect(lines.map(brief)).toEqual(monthly(1, 12, "100.00"));
    expect(lines.every((line) => line.quantity === "10")).toBe(true);
    const renewed = linesOf(history.renew("2026-01-01"), { policy: "none" }, 1);
    expect(renewed[0] && brief(renewed[0])).toEqual(["instalment", "2026-01-01", "150.00"]);
  });

  it("charges an instalment due on the day of a change at the old price, then settles its whole month", () => {
    const lines = linesOf(desk().change("2025-04-01T10:00:00.000Z", { quantity: 15 }));
    expect(lines.slice(3, 7).map(brief)).toEqual([
      ["instalment", "2025-04-01", "100.00"],
      ["prorationCredit", "2025-04-01", "-100.00"],
      ["prorationCharge", "2025-04-01", "150.00"],
      ["instalment", "2025-05-01", "150.00"],
    ]);
    expect(lines[3]?.quantity).toBe("10");
  });

  it("labels each of several same-day changes with the seats it moved from and to", () => {
    const lines = linesOf(
      desk()
        .change("2025-04-10T10:00:00.000Z", { quantity: 15 })
        .change("2025-04-10T16:00:00.000Z", { quantity: 12 }),
    );
    const proration = lines.filter((line) => line.kind !== "instalment");
    expect(proration.map((line) => [...brief(line), line.quantity])).toEqual([
      ["prorationCredit", "2025-04-10", "-70.00", "10"],
      ["prorationCharge", "2025-04-10", "105.00", "15"],
      ["prorationCredit", "2025-04-10", "-105.00", "15"],
      ["prorationCharge", "2025-04-10", "84.00", "12"],
    ]);
    expect(lines.at(-1) && brief(lines.at(-1) as ComputedLine)).toEqual([
      "instalment",
      "2025-12-01",
      "120.00",
    ]);
  });

  it("labels a plan change's credit with the old plan and its charge with the new one", () => {
    const lines = linesOf(desk().change("2025-04-10T10:00:00.000Z", { planId: "studio" }));
    const proration = lines.filter((line) => line.kind !== "instalment");
    expect(proration.map((line) => [line.kind, line.planId, formatMoney(line.amount)])).toEqual([
      ["prorationCredit", "desk", "-70.00"],
      ["prorationCharge", "studio", "140.00"],
    ]);
    expect(proration[0]?.description).toBe("desk plan: credit for unused days from 2025-04-10, 10 seats");
    expect(proration[1]?.description).toBe("studio plan: charge for the days from 2025-04-10, 10 seats");
  });

  it("keeps every line keyed uniquely and deterministically", () => {
    const history = desk()
      .change("2025-04-10T10:00:00.000Z", { quantity: 15 })
      .change("2025-04-10T16:00:00.000Z", { quantity: 12 });
    const keys = linesOf(history).map((line) => line.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(linesOf(history).map((line) => line.key)).toEqual(keys);
  });

  it("charges nothing for a free-trial term", () => {
    const history = desk().record("Activated", "2025-01-01T09:00:00.000Z", { isFreeTrial: true });
    const trial = termsFromEvents(history.events).find((term) => term.freeTrial);
    expect(trial && flatLinesOfTerm(context(), trial)).toEqual([]);
  });

  it("refunds every flat charge of the term on a cancellation within the refund window", () => {
    const lines = linesOf(
      desk().change("2025-01-02T10:00:00.000Z", { quantity: 12 }).cancel("2025-01-03T10:00:00.000Z"),
    );
    expect(lines.map(brief)).toEqual([
      ["instalment", "2025-01-01", "100.00"],
      ["prorationCredit", "2025-01-02", "-96.77"],
      ["prorationCharge", "2025-01-02", "116.12"],
      ["refund", "2025-01-03", "-119.35"],
    ]);
    expect(total(lines)).toBe("0.00");
    expect(lines.at(-1)).toMatchObject({
      periodStart: "2025-01-01",
      periodEnd: "2025-12-31",
      planId: "desk",
      description: "desk plan: refund, cancelled within the refund window",
    });
  });

  it("keeps the whole term charged on a cancellation after the refund window", () => {
    const lines = linesOf(desk().cancel("2025-03-15T10:00:00.000Z"));
    expect(lines.map(brief)).toEqual(monthly(1, 12, "100.00"));
  });

  it("prices a term under a private discount and records the list amount and the offer", () => {
    const offers = [
      privateOffer("po-20", [{ planId: "desk", kind: "discount", discountPercent: "20" }], {
        validFrom: "2025-01-01",
        validTo: "2025-12-31",
        acceptedAt: "2024-12-20T10:00:00.000Z",
      }),
    ];
    const lines = linesOf(desk("monthly", 1), { offers });
    expect(lines.map((line) => line.amount).map(formatMoney)).toEqual(Array(12).fill("8.00"));
    expect(lines[0]).toMatchObject({ privateOfferId: "po-20", resellerMargin: null });
    expect(lines[0]?.listAmount && formatMoney(lines[0].listAmount)).toBe("10.00");
  });

  it("splits a discounted term into instalments that carry the cents first", () => {
    const offers = [
      privateOffer("po-1", [{ planId: "odd", kind: "discount", discountPercent: "12.5" }], {
        validFrom: "2025-01-01",
        validTo: "2025-12-31",
        acceptedAt: "2024-12-20T10:00:00.000Z",
      }),
    ];
    const history = new History({ planId: "odd", quantity: 1, termUnit: "P1Y", paymentOption: "monthly" })
      .purchase("2025-01-01T08:00:00.000Z")
      .activate("2025-01-01T09:00:00.000Z");
    const lines = linesOf(history, { offers, plans: [plan("odd", [term("P1Y", "8.33", "monthly")])] });
    // 8.33 × 12 = 99.96; × 0.875 = 87.465, rounded once half-even: 87.46; split in 12, the first carry the cents.
    expect(total(lines)).toBe("87.46");
    expect(lines.map((line) => formatMoney(line.amount))).toEqual([
      ...Array(10).fill("7.29"),
      "7.28",
      "7.28",
    ]);
    expect(lines.map((line) => line.listAmount && formatMoney(line.listAmount))).toEqual(
      Array(12).fill("8.33"),
    );
  });

  it("records the reseller margin against the list price on each line", () => {
    const offers = [
      privateOffer("po-r", [{ planId: "desk", kind: "discount", discountPercent: "15" }], {
        validFrom: "2025-01-01",
        validTo: "2025-12-31",
        acceptedAt: "2024-12-20T10:00:00.000Z",
        audience: "reseller",
        tenant: "eeeeeeee-0000-4000-8000-000000000005",
      }),
    ];
    const lines = linesOf(desk("upfront"), {
      offers,
      reseller: true,
      payer: "eeeeeeee-0000-4000-8000-000000000005",
    });
    expect(
      lines.map((line) => [formatMoney(line.amount), line.listAmount && formatMoney(line.listAmount)]),
    ).toEqual([["1020.00", "1200.00"]]);
    expect(lines[0]?.resellerMargin && formatMoney(lines[0].resellerMargin)).toBe("180.00");
  });

  it("reverses the list amount and the reseller margin with a refund", () => {
    const offers = [
      privateOffer("po-r", [{ planId: "desk", kind: "discount", discountPercent: "15" }], {
        validFrom: "2025-01-01",
        validTo: "2025-12-31",
        acceptedAt: "2024-12-20T10:00:00.000Z",
        audience: "reseller",
        tenant: "eeeeeeee-0000-4000-8000-000000000005",
      }),
    ];
    const lines = linesOf(desk("upfront").cancel("2025-01-02T10:00:00.000Z"), {
      offers,
      reseller: true,
      payer: "eeeeeeee-0000-4000-8000-000000000005",
    });
    expect(
      lines.map((line) => [
        line.kind,
        formatMoney(line.amount),
        line.listAmount && formatMoney(line.listAmount),
        line.resellerMargin && formatMoney(line.resellerMargin),
      ]),
    ).toEqual([
      ["instalment", "1020.00", "1200.00", "180.00"],
      ["refund", "-1020.00", "-1200.00", "-180.00"],
    ]);
  });
});
