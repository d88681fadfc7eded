import { describe, expect, it } from "vitest";
import { operator, subscription } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { api, publisherToken } from "../../support/marketplace-client.js";
import { buyAndActivate, newTestClock } from "../ledger-support.js";
import {
  brief,
  cancelInStore,
  changeInStore,
  ledgerServerFor,
  reportUsage,
  setClock,
  storedLines,
  tenants,
} from "./e2e-support.js";

/** Tenants that never bought the analytics offer, so their first purchase of the trial plan is a trial. */
const trialTenants = {
  converts: "a1a1a1a1-0000-4000-8000-000000000011",
  leavesEarly: "a2a2a2a2-0000-4000-8000-000000000012",
};

/** Cancellations, trials and renewals through a real server, each on its own test clock. */
describe.each(databaseKinds)("the ledger over a subscription's lifecycle on %s", (database) => {
  const ledger = ledgerServerFor(database);
  const { db, invoices } = ledger;

  it("refunds the flat charge on a cancellation within 72 hours and keeps the overage", async () => {
    await newTestClock(ledger.server(), "refund");
    await setClock(ledger.server(), "refund", "2025-03-01T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "analytics",
      planId: "metered",
      testClock: "refund",
    });
    await setClock(ledger.server(), "refund", "2025-03-02T09:00:00.000Z");
    await reportUsage(ledger.server(), id, {
      planId: "metered",
      quantity: 1350,
      effectiveStartTime: "2025-03-02T08:00:00Z",
    });
    await setClock(ledger.server(), "refund", "2025-03-04T08:59:00.000Z");
    await cancelInStore(ledger.server(), id);
    expect((await subscription(ledger.server(), id)).status).toBe("Unsubscribed");
    await setClock(ledger.server(), "refund", "2025-05-01T00:00:00.000Z");
    const lines = await storedLines(db(), id);
    expect(lines.map(brief)).toEqual([
      ["instalment", "2025-03-01", "49.00"],
      ["refund", "2025-03-04", "-49.00"],
      ["overage", "2025-04-01", "3.50"],
    ]);
    expect(lines[1]).toMatchObject({
      period_start: "2025-03-01",
      period_end: "2025-03-31",
      plan_id: "metered",
    });
    expect(await invoices(tenants.buyer, "refund")).toEqual([
      ["2025-03", "0.00", 2],
      ["2025-04", "3.50", 1],
    ]);
  });

  it("keeps the remaining instalments due after a cancellation outside the window, and does not renew", async () => {
    await newTestClock(ledger.server(), "late-cancel");
    await setClock(ledger.server(), "late-cancel", "2025-01-10T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "seats",
      planId: "desk",
      termUnit: "P1Y",
      paymentOption: "monthly",
      quantity: 3,
      testClock: "late-cancel",
    });
    await setClock(ledger.server(), "late-cancel", "2025-01-13T09:00:00.000Z");
    await cancelInStore(ledger.server(), id);
    await setClock(ledger.server(), "late-cancel", "2026-03-01T00:00:00.000Z");
    const lines = await storedLines(db(), id);
    expect(lines.map(brief)).toEqual(
      Array.from({ length: 12 }, (_, k) => [
        "instalment",
        new Date(Date.UTC(2025, k, 10)).toISOString().slice(0, 10),
        "30.00",
      ]),
    );
    const months = await invoices(tenants.buyer, "late-cancel");
    expect(months).toHaveLength(12);
    expect(months.every(([, total]) => total === "30.00")).toBe(true);
  });

  it("charges nothing for the free trial month and charges the term it converts to", async () => {
    await newTestClock(ledger.server(), "trial");
    await setClock(ledger.server(), "trial", "2025-01-10T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "analytics",
      planId: "trial",
      testClock: "trial",
      tenantId: trialTenants.converts,
    });
    expect((await subscription(ledger.server(), id)).is_free_trial).toBe(1);
    await setClock(ledger.server(), "trial", "2025-02-09T23:00:00.000Z");
    expect(await storedLines(db(), id)).toEqual([]);
    await setClock(ledger.server(), "trial", "2025-03-01T00:00:00.000Z");
    expect((await storedLines(db(), id)).map(brief)).toEqual([["instalment", "2025-02-10", "49.99"]]);
    expect(await invoices(trialTenants.converts, "trial")).toEqual([["2025-02", "49.99", 1]]);
  });

  it("charges a paid term from the day a trial is left for a paid plan, even on the trial's first day", async () => {
    await newTestClock(ledger.server(), "trial-left");
    await setClock(ledger.server(), "trial-left", "2025-01-10T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "analytics",
      planId: "trial",
      testClock: "trial-left",
      tenantId: trialTenants.leavesEarly,
    });
    await setClock(ledger.server(), "trial-left", "2025-01-10T15:00:00.000Z");
    await changeInStore(ledger.server(), id, { planId: "metered" });
    expect((await subscription(ledger.server(), id)).is_free_trial).toBe(0);
    await setClock(ledger.server(), "trial-left", "2025-03-01T00:00:00.000Z");
    expect((await storedLines(db(), id)).map(brief)).toEqual([
      ["instalment", "2025-01-10", "49.00"],
      ["instalment", "2025-02-10", "49.00"],
    ]);
  });

  it("charges a monthly plan twelve times over a year of renewals, one invoice a month", async () => {
    await newTestClock(ledger.server(), "year");
    await setClock(ledger.server(), "year", "2025-01-15T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "analytics",
      planId: "basic",
      testClock: "year",
    });
    await setClock(ledger.server(), "year", "2026-01-14T12:00:00.000Z");
    const lines = await storedLines(db(), id);
    expect(lines.map(brief)).toEqual(
      Array.from({ length: 12 }, (_, k) => [
        "instalment",
        new Date(Date.UTC(2025, k, 15)).toISOString().slice(0, 10),
        "49.99",
      ]),
    );
    expect(await invoices(tenants.buyer, "year")).toEqual(
      Array.from({ length: 12 }, (_, k) => [`2025-${String(k + 1).padStart(2, "0")}`, "49.99", 1]),
    );
  });

  it("keeps charging a suspended subscription and charges the renewal it gets when it is reinstated late", async () => {
    await newTestClock(ledger.server(), "suspended");
    await setClock(ledger.server(), "suspended", "2025-01-15T09:00:00.000Z");
    const id = await buyAndActivate(ledger.server(), {
      offerId: "analytics",
      planId: "basic",
      testClock: "suspended",
    });
    await setClock(ledger.server(), "suspended", "2025-02-10T09:00:00.000Z");
    const failed = await operator(ledger.server(), "POST", `/operator/v1/subscriptions/${id}/payment-failed`);
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    // The term ends on 02-14 while suspended: no renewal until the payment is recovered on 02-25.
    await setClock(ledger.server(), "suspended", "2025-02-25T09:00:00.000Z");
    expect((await storedLines(db(), id)).map(brief)).toEqual([["instalment", "2025-01-15", "49.99"]]);
    const recovered = await operator(
      ledger.server(),
      "POST",
      `/operator/v1/subscriptions/${id}/payment-recovered`,
    );
    expect([200, 202]).toContain(recovered.status);
    if (recovered.status === 202) {
      const call = api(ledger.server(), await publisherToken(ledger.server(), "contoso"));
      const acked = await call(
        "PATCH",
        `/saas/subscriptions/${id}/operations/${recovered.body.operationId}`,
        {
          body: { status: "Success" },
        },
      );
      expect(acked.status, acked.text).toBe(200);
    }
    // The renewal that was due on 02-15 is applied now, dated when it was due.
    await setClock(ledger.server(), "suspended", "2025-03-20T00:00:00.000Z");
    expect((await storedLines(db(), id)).map(brief)).toEqual([
      ["instalment", "2025-01-15", "49.99"],
      ["instalment", "2025-02-15", "49.99"],
      ["instalment", "2025-03-15", "49.99"],
    ]);
    expect(await invoices(tenants.buyer, "suspended")).toEqual([
      ["2025-01", "49.99", 1],
      ["2025-02", "49.99", 1],
    ]);
  });

  it("holds the month a suspended subscription may still be renewed into until it is reinstated or ends", async () => {
    const account = tenants.stranger;
    for (const [clock, reinstate] of [
      ["held-reinstated", true],
      ["held-ended", false],
    ] as const) {
      await newTestClock(ledger.server(), clock);
      await setClock(ledger.server(), clock, "2024-12-29T09:00:00.000Z");
      const id = await buyAndActivate(ledger.server(), {
        offerId: "analytics",
        planId: "basic",
        testClock: clock,
        tenantId: account,
      });
      await setClock(ledger.server(), clock, "2025-01-10T09:00:00.000Z");
      await buyAndActivate(ledger.server(), {
        offerId: "seats",
        planId: "desk",
        termUnit: "P1Y",
        paymentOption: "monthly",
        quantity: 1,
        testClock: clock,
        tenantId: account,
      });
      await setClock(ledger.server(), clock, "2025-01-25T09:00:00.000Z");
      expect(
        (await operator(ledger.server(), "POST", `/operator/v1/subscriptions/${id}/payment-failed`)).status,
      ).toBe(200);
      // The term ended on 01-28 while suspended: a reinstatement would renew it as of 01-29, so January
      // stays open for this account.
      await setClock(ledger.server(), clock, "2025-02-05T09:00:00.000Z");
      expect(await invoices(account, clock)).toEqual([["2024-12", "49.99", 1]]);
      if (reinstate) {
        const recovered = await operator(
          ledger.server(),
          "POST",
          `/operator/v1/subscriptions/${id}/payment-recovered`,
        );
        const call = api(ledger.server(), await publisherToken(ledger.server(), "contoso"));
        const acked = await call(
          "PATCH",
          `/saas/subscriptions/${id}/operations/${recovered.body.operationId}`,
          {
            body: { status: "Success" },
          },
        );
        expect(acked.status, acked.text).toBe(200);
      }
      await setClock(ledger.server(), clock, "2025-03-01T01:00:00.000Z");
      expect(await invoices(account, clock)).toEqual(
        reinstate
          ? [
              ["2024-12", "49.99", 1],
              ["2025-01", "59.99", 2],
              ["2025-02", "59.99", 2],
            ]
          : [
              ["2024-12", "49.99", 1],
              ["2025-01", "10.00", 1],
              ["2025-02", "10.00", 1],
            ],
      );
    }
  });
});
