import { describe, expect, it } from "vitest";
import { databaseKinds } from "../../support/databases.js";
import { buyAndActivate, newTestClock } from "../ledger-support.js";
import {
  acceptedPrivateOffer,
  brief,
  changeInStore,
  ledgerServerFor,
  reportUsage,
  setClock,
  storedLines,
  tenants,
} from "./e2e-support.js";

/**
 * docs/billing.md's four worked examples, end to end: bought in the store, changed through the
 * marketplace, metered through the Metering API, on a test clock moved by the operator; the ledger lines
 * and invoices are read from the database after each move.
 */
describe.each(databaseKinds)("the worked examples of docs/billing.md on %s", (database) => {
  const ledger = ledgerServerFor(database);
  const { db, invoices } = ledger;

  it("(a) per-seat annual plan paid monthly, 10 → 15 seats on day 100", async () => {
    await newTestClock(ledger.server(), "example-a");
    await setClock(ledger.server(), "example-a", "2025-01-01T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "seats",
      planId: "desk",
      termUnit: "P1Y",
      paymentOption: "monthly",
      quantity: 10,
      testClock: "example-a",
    });
    await setClock(ledger.server(), "example-a", "2025-04-10T10:00:00.000Z");
    await changeInStore(ledger.server(), id, { quantity: 15 });
    await setClock(ledger.server(), "example-a", "2025-12-31T23:00:00.000Z");
    const lines = await storedLines(db(), id);
    const instalments = (from: number, to: number, amount: string) =>
      Array.from({ length: to - from + 1 }, (_, k) => [
        "instalment",
        `2025-${String(from + k).padStart(2, "0")}-01`,
        amount,
      ]);
    expect(lines.map(brief)).toEqual([
      ...instalments(1, 4, "100.00"),
      ["prorationCharge", "2025-04-10", "105.00"],
      ["prorationCredit", "2025-04-10", "-70.00"],
      ...instalments(5, 12, "150.00"),
    ]);
    expect(lines.reduce((sum, line) => sum + Number(line.amount_minor), 0)).toBe(163_500);
    expect(lines.find((line) => line.kind === "prorationCredit")).toMatchObject({
      quantity: "10",
      period_start: "2025-04-10",
      period_end: "2025-04-30",
      billing_account: tenants.buyer,
      invoice_id: expect.any(String),
    });
    expect(lines.find((line) => line.kind === "prorationCharge")?.quantity).toBe("15");
    expect(await invoices(tenants.buyer, "example-a")).toEqual([
      ["2025-01", "100.00", 1],
      ["2025-02", "100.00", 1],
      ["2025-03", "100.00", 1],
      ["2025-04", "135.00", 3],
      ["2025-05", "150.00", 1],
      ["2025-06", "150.00", 1],
      ["2025-07", "150.00", 1],
      ["2025-08", "150.00", 1],
      ["2025-09", "150.00", 1],
      ["2025-10", "150.00", 1],
      ["2025-11", "150.00", 1],
    ]);
    // The month ends: December is invoiced, and the renewed term (15 seats) charges its first instalment.
    await setClock(ledger.server(), "example-a", "2026-01-01T00:00:00.000Z");
    expect((await invoices(tenants.buyer, "example-a")).at(-1)).toEqual(["2025-12", "150.00", 1]);
    expect((await storedLines(db(), id)).map(brief).at(-1)).toEqual(["instalment", "2026-01-01", "150.00"]);
  });

  it("(b) flat rate with overage: 1,350 calls in March bill 3.50 the day after the month", async () => {
    await newTestClock(ledger.server(), "example-b");
    await setClock(ledger.server(), "example-b", "2025-03-01T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "analytics",
      planId: "metered",
      testClock: "example-b",
      tenantId: tenants.buyer,
    });
    await setClock(ledger.server(), "example-b", "2025-03-05T10:00:00.000Z");
    await reportUsage(ledger.server(), id, {
      planId: "metered",
      quantity: 600,
      effectiveStartTime: "2025-03-05T09:00:00Z",
    });
    await setClock(ledger.server(), "example-b", "2025-03-31T23:30:00.000Z");
    await reportUsage(ledger.server(), id, {
      planId: "metered",
      quantity: 750,
      effectiveStartTime: "2025-03-31T23:00:00Z",
    });
    await reportUsage(ledger.server(), id, {
      planId: "metered",
      dimension: "storage",
      quantity: 5000,
      effectiveStartTime: "2025-03-31T23:00:00Z",
    });
    // A day after the month: usage for March could still arrive, so no overage line yet.
    await setClock(ledger.server(), "example-b", "2025-04-01T23:59:00.000Z");
    expect((await storedLines(db(), id)).map(brief)).toEqual([
      ["instalment", "2025-03-01", "49.00"],
      ["instalment", "2025-04-01", "49.00"],
    ]);
    await setClock(ledger.server(), "example-b", "2025-04-02T00:00:00.000Z");
    const lines = await storedLines(db(), id);
    expect(lines.map(brief)).toEqual([
      ["instalment", "2025-03-01", "49.00"],
      ["instalment", "2025-04-01", "49.00"],
      ["overage", "2025-04-01", "3.50"],
    ]);
    expect(lines.at(-1)).toMatchObject({
      quantity: "350",
      unit_price: "0.01",
      period_start: "2025-03-01",
      period_end: "2025-03-31",
      list_amount: null,
      private_offer_id: null,
    });
    await setClock(ledger.server(), "example-b", "2025-05-01T00:00:00.000Z");
    expect(await invoices(tenants.buyer, "example-b")).toEqual([
      ["2025-03", "49.00", 1],
      ["2025-04", "52.50", 2],
    ]);
  });

  it("(c) the same month under a private offer at 20% off: 39.20 and 2.80", async () => {
    const customer = tenants.stranger;
    const offerId = await acceptedPrivateOffer(ledger.server(), {
      offerId: "analytics",
      customerTenantId: customer,
      validFrom: "2025-01-01",
      validTo: "2025-12-31",
      acceptBy: "2025-12-31",
      plans: [{ planId: "metered", discountPercent: "20" }],
    });
    await newTestClock(ledger.server(), "example-c");
    await setClock(ledger.server(), "example-c", "2025-03-01T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "analytics",
      planId: "metered",
      testClock: "example-c",
      tenantId: customer,
    });
    await setClock(ledger.server(), "example-c", "2025-03-20T10:00:00.000Z");
    await reportUsage(ledger.server(), id, {
      planId: "metered",
      quantity: 1350,
      effectiveStartTime: "2025-03-20T09:00:00Z",
    });
    await setClock(ledger.server(), "example-c", "2025-05-01T00:00:00.000Z");
    const lines = await storedLines(db(), id);
    expect(lines.map((line) => [...brief(line), line.list_amount, line.private_offer_id])).toEqual([
      ["instalment", "2025-03-01", "39.20", "49.00", offerId],
      ["instalment", "2025-04-01", "39.20", "49.00", offerId],
      ["overage", "2025-04-01", "2.80", "3.50", offerId],
      ["instalment", "2025-05-01", "39.20", "49.00", offerId],
    ]);
    expect(lines.find((line) => line.kind === "overage")?.unit_price).toBe("0.008");
    expect(await invoices(customer, "example-c")).toEqual([
      ["2025-03", "39.20", 1],
      ["2025-04", "42.00", 2],
    ]);
  });

  it("(d) a reseller buys 10 seats for its customer at 15% below list: 1,020.00, margin 180.00", async () => {
    const offerId = await acceptedPrivateOffer(ledger.server(), {
      offerId: "seats",
      customerTenantId: tenants.reseller,
      audience: "reseller",
      validFrom: "2025-01-01",
      validTo: "2025-12-31",
      acceptBy: "2025-12-31",
      plans: [{ planId: "desk-upfront", discountPercent: "15" }],
    });
    await newTestClock(ledger.server(), "example-d");
    await setClock(ledger.server(), "example-d", "2025-02-03T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "seats",
      planId: "desk-upfront",
      termUnit: "P1Y",
      paymentOption: "upfront",
      quantity: 10,
      testClock: "example-d",
      tenantId: tenants.buyer,
      purchaserTenantId: tenants.reseller,
    });
    await setClock(ledger.server(), "example-d", "2025-03-01T00:00:00.000Z");
    const lines = await storedLines(db(), id);
    expect(
      lines.map((line) => ({
        line: brief(line),
        list: line.list_amount,
        margin: line.reseller_margin,
        account: line.billing_account,
        offer: line.private_offer_id,
        seats: line.quantity,
      })),
    ).toEqual([
      {
        line: ["instalment", "2025-02-03", "1020.00"],
        list: "1200.00",
        margin: "180.00",
        account: tenants.reseller,
        offer: offerId,
        seats: "10",
      },
    ]);
    expect(await invoices(tenants.reseller, "example-d")).toEqual([["2025-02", "1020.00", 1]]);
    expect(await invoices(tenants.buyer, "example-d")).toEqual([]);
  });
});
