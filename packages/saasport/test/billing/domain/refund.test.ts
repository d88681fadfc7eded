import { describe, expect, it } from "vitest";
import { billTerm } from "../../../src/billing/domain/proration.js";
import { refundOnCancellation } from "../../../src/billing/domain/refund.js";
import { day, text, usd } from "./support.js";

const purchasedAt = new Date("2025-01-01T10:00:00.000Z");
const refundWindowEndsAt = new Date(purchasedAt.getTime() + 72 * 3_600_000);

describe("refund on cancellation", () => {
  it.each([
    ["an hour after purchase", "2025-01-01T11:00:00.000Z", true],
    ["a millisecond before the window ends", "2025-01-04T09:59:59.999Z", true],
    ["exactly when the window ends", "2025-01-04T10:00:00.000Z", false],
    ["a day later", "2025-01-05T10:00:00.000Z", false],
  ])("%s", (_, cancelledAt, within) => {
    const refund = refundOnCancellation({
      cancelledAt: new Date(cancelledAt),
      refundWindowEndsAt,
      currency: "USD",
      flatCharges: [usd("100.00")],
    });
    expect(refund.withinWindow).toBe(within);
    expect(refund.remainingInstalmentsDue).toBe(!within);
    expect(refund.refundLine ? text(refund.refundLine.amount) : undefined).toBe(
      within ? "-100.00" : undefined,
    );
  });

  it("refunds exactly the flat charges of the term, proration included", () => {
    const bill = billTerm({
      termStart: day("2025-01-01"),
      termUnit: "P1Y",
      paymentOption: "monthly",
      termPrice: usd("1200.00"),
      changes: [{ on: day("2025-01-02"), newTermPrice: usd("1800.00") }],
      policy: "prorate",
    });
    const chargedSoFar = bill.lines.filter((line) => line.on <= "2025-01-02").map((line) => line.amount);
    const refund = refundOnCancellation({
      cancelledAt: new Date("2025-01-02T12:00:00.000Z"),
      refundWindowEndsAt,
      currency: "USD",
      flatCharges: chargedSoFar,
    });
    // 100.00 + (−96.77 + 145.16): the first instalment and the day-2 seat increase.
    expect(chargedSoFar.map(text)).toEqual(["100.00", "-96.77", "145.16"]);
    expect(refund.refundLine?.amount).toEqual(usd("-148.39"));
    expect(refund.refundLine?.on).toBe("2025-01-02");
  });

  it("refunds nothing without a refund window", () => {
    const refund = refundOnCancellation({
      cancelledAt: purchasedAt,
      refundWindowEndsAt: null,
      currency: "USD",
      flatCharges: [usd("5.00")],
    });
    expect(refund).toEqual({ withinWindow: false, remainingInstalmentsDue: true });
  });
});
