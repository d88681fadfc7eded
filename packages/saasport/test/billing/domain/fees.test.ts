import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { payoutStatements, resellerMargin, storeFee } from "../../../src/billing/domain/fees.js";
import { currencyExponents, money, parseMoney } from "../../../src/billing/domain/money.js";
import { billingError, text, usd } from "./support.js";

describe("store fee and payout", () => {
  it.each([
    ["1020.00", "3", "30.60", "989.40"],
    ["100.00", "3", "3.00", "97.00"],
    ["0.50", "3", "0.02", "0.48"], // 0.015 → tie → 0.02
    ["0.83", "3", "0.02", "0.81"], // 0.0249 → 0.02
    ["-148.39", "3", "-4.45", "-143.94"], // a refund gives back its fee: 4.4517 → 4.45
    ["1000.00", "20", "200.00", "800.00"],
  ])("%s at %s%%: fee %s, payout %s", (collected, percentage, fee, payout) => {
    const result = storeFee(usd(collected), percentage);
    expect([text(result.fee), text(result.payout)]).toEqual([fee, payout]);
  });

  it("fee + payout = collected, exactly, for any amount, currency and fee", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(currencyExponents)),
        fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
        fc.integer({ min: 0, max: 10_000 }),
        (currency, minor, basisPoints) => {
          const feePercent = `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, "0")}`;
          const collected = money(currency, minor);
          const { fee, payout } = storeFee(collected, feePercent);
          expect(fee.minor + payout.minor).toBe(minor);
          // The fee is the exact percentage rounded once: within half a minor unit.
          const exactTimes10000 = minor * BigInt(basisPoints);
          const distance = fee.minor * 10_000n - exactTimes10000;
          expect((distance < 0n ? -distance : distance) <= 5_000n).toBe(true);
        },
      ),
    );
  });

  it("writes one statement per publisher, month and currency, the fee taken on the month's total", () => {
    const statements = payoutStatements([
      { publisherId: "contoso", month: "2025-04", amount: usd("0.50") },
      { publisherId: "contoso", month: "2025-04", amount: usd("0.50") },
      { publisherId: "fabrikam", month: "2025-04", amount: usd("10.00") },
      { publisherId: "contoso", month: "2025-05", amount: usd("20.00") },
      { publisherId: "contoso", month: "2025-04", amount: parseMoney("1000", "JPY") },
    ]);
    expect(
      statements.map((s) => [
        s.publisherId,
        s.month,
        s.currency,
        text(s.collected),
        text(s.storeFee),
        text(s.payout),
      ]),
    ).toEqual([
      ["contoso", "2025-04", "JPY", "1000", "30", "970"],
      // Two lines of 0.50 would each pay 0.02 in fees; on the month's 1.00 the fee is 0.03.
      ["contoso", "2025-04", "USD", "1.00", "0.03", "0.97"],
      ["contoso", "2025-05", "USD", "20.00", "0.60", "19.40"],
      ["fabrikam", "2025-04", "USD", "10.00", "0.30", "9.70"],
    ]);
  });

  it("statements sum back to what was collected", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            publisherId: fc.constantFrom("contoso", "fabrikam"),
            month: fc.constantFrom("2025-04", "2025-05"),
            minor: fc.bigInt({ min: -100_000n, max: 10_000_000n }),
          }),
          { maxLength: 40 },
        ),
        (rows) => {
          const statements = payoutStatements(
            rows.map((row) => ({ ...row, amount: money("EUR", row.minor) })),
          );
          const collected = rows.reduce((a, row) => a + row.minor, 0n);
          expect(statements.reduce((a, s) => a + s.storeFee.minor + s.payout.minor, 0n)).toBe(collected);
        },
      ),
    );
  });

  it("refuses a fee that is not a percentage", () => {
    expect(billingError(() => storeFee(usd("1.00"), "101")).code).toBe("invalidPercent");
  });
});

describe("reseller margin", () => {
  it("is the list price minus what the reseller pays", () => {
    expect(text(resellerMargin(usd("1200.00"), usd("1020.00")))).toBe("180.00");
    expect(text(resellerMargin(usd("100.00"), usd("110.00")))).toBe("-10.00");
    expect(billingError(() => resellerMargin(usd("1.00"), parseMoney("1", "JPY"))).code).toBe(
      "currencyMismatch",
    );
  });
});
