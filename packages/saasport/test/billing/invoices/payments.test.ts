import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance, deliveriesOf, eventsOf, seedWithWebhook, subscription } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { fixture } from "../../support/fixture-catalog.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";
import { buyAndActivate, newTestClock } from "../ledger-support.js";
import { call, invoicesOf, settleLedger, start } from "./invoice-support.js";

/** The pay clock ends at 2025-04-15T10:00Z: business "now" for every payment marked on it. */
const payClockNow = "2025-04-15T10:00:00.000Z";

describe.each(databaseKinds)("paying and failing invoices on %s", (database) => {
  let server: TestServer;
  let seatsId = "";
  let flatId = "";
  let january = "";
  let february = "";
  let march = "";

  beforeAll(async () => {
    server = await startTestServer({ database, clock: new ManualClock(start), seed: seedWithWebhook() });
    await newTestClock(server, "pay");
    seatsId = await buyAndActivate(server, {
      offerId: "seats",
      planId: "team",
      termUnit: "P1M",
      quantity: 3,
      testClock: "pay",
    });
    flatId = await buyAndActivate(server, {
      offerId: "analytics",
      planId: "basic",
      termUnit: "P1M",
      testClock: "pay",
    });
    await settleLedger(server);
    await advance(server, "P3M", "pay");
    [january, february, march] = (await invoicesOf(server, fixture.buyerTenant, "pay")).map(
      (invoice) => invoice.id,
    ) as [string, string, string];
  });
  afterAll(async () => server?.stop());

  const post = (invoiceId: string, action: "pay" | "fail") =>
    call(server, server.operatorKey, "POST", `/operator/v1/invoices/${invoiceId}/${action}`);
  const typesOf = async (id: string) => (await eventsOf(server, id)).map((event) => event.type);

  it("puts both subscriptions of the account on one invoice a month: 149.97 + 49.99", async () => {
    const shown = await call(server, server.operatorKey, "GET", `/operator/v1/invoices/${january}`);
    expect(shown.json).toMatchObject({ month: "2025-01", status: "open", total: "199.96", lineCount: 2 });
    expect(shown.json.lines.map((line: { amount: string }) => line.amount).sort()).toEqual([
      "149.97",
      "49.99",
    ]);
  });

  it("marks an open invoice paid at business time on its clock, once", async () => {
    const paid = await post(january, "pay");
    expect(paid.status, paid.text).toBe(200);
    expect(paid.json).toEqual({
      invoice: expect.objectContaining({ id: january, status: "paid", paidAt: payClockNow, failedAt: null }),
      suspended: [],
      reinstated: [],
      unchanged: [],
    });
    const again = await post(january, "pay");
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual({
      code: "Conflict",
      message: `Invoice ${january} is already paid (paid at ${payClockNow}).`,
      target: "invoiceId",
    });
    const fail = await post(january, "fail");
    expect(fail.status).toBe(409);
    expect(fail.json.error.message).toBe(`Invoice ${january} is paid (at ${payClockNow}); it cannot fail.`);
    expect((await subscription(server, seatsId)).status).toBe("Subscribed");
  });

  it("fails an open invoice and suspends its Subscribed subscriptions (Suspend event and webhook)", async () => {
    const failed = await post(february, "fail");
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json.invoice).toMatchObject({
      id: february,
      status: "failed",
      failedAt: payClockNow,
      paidAt: null,
    });
    expect(
      failed.json.suspended.map((change: { subscriptionId: string }) => change.subscriptionId).sort(),
    ).toEqual([seatsId, flatId].sort());
    for (const change of failed.json.suspended) {
      expect(change).toEqual({
        subscriptionId: change.subscriptionId,
        operationId: expect.any(String),
        operationStatus: "Succeeded",
      });
    }
    expect(failed.json.unchanged).toEqual([]);
    for (const id of [seatsId, flatId]) {
      const row = await subscription(server, id);
      expect(row.status).toBe("Suspended");
      expect(row.suspended_at).toBe(payClockNow);
      const events = await eventsOf(server, id);
      expect(events.at(-1)).toMatchObject({ type: "Suspended", actor: "operator" });
      expect((await deliveriesOf(server, id)).map((delivery) => delivery.action)).toContain("Suspend");
    }
    const again = await post(february, "fail");
    expect(again.status).toBe(409);
    expect(again.json.error.message).toBe(
      `Invoice ${february} already failed (at ${payClockNow}); mark it paid once the money arrives.`,
    );
  });

  it("leaves subscriptions that are already Suspended alone when another invoice fails", async () => {
    const failed = await post(march, "fail");
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json.suspended).toEqual([]);
    expect(failed.json.unchanged).toHaveLength(2);
    for (const unchanged of failed.json.unchanged) {
      expect(unchanged.reason).toBe("The subscription is Suspended; it cannot suspend (needs Subscribed).");
    }
  });

  it("reinstates a subscription only when its last failed invoice is paid", async () => {
    const first = await post(february, "pay");
    expect(first.status, first.text).toBe(200);
    expect(first.json.invoice).toMatchObject({ status: "paid", paidAt: payClockNow, failedAt: payClockNow });
    expect(first.json.reinstated).toEqual([]);
    expect(first.json.unchanged).toEqual(
      [seatsId, flatId].sort().map((subscriptionId) => ({
        subscriptionId,
        reason: "Another invoice of this subscription is still failed.",
      })),
    );
    expect((await subscription(server, seatsId)).status).toBe("Suspended");

    const last = await post(march, "pay");
    expect(last.status, last.text).toBe(200);
    expect(
      last.json.reinstated.map((change: { subscriptionId: string }) => change.subscriptionId).sort(),
    ).toEqual([seatsId, flatId].sort());
    for (const change of last.json.reinstated) {
      // The default reinstate flow waits for the publisher's acknowledgement.
      expect(change.operationStatus).toBe("InProgress");
    }
    for (const id of [seatsId, flatId]) {
      expect((await typesOf(id)).at(-1)).toBe("ReinstateRequested");
      expect((await deliveriesOf(server, id)).map((delivery) => delivery.action)).toContain("Reinstate");
    }
    expect((await post(march, "pay")).status).toBe(409);
  });

  it("answers 404 for an unknown invoice", async () => {
    for (const action of ["pay", "fail"] as const) {
      const missing = await post("00000000-0000-4000-8000-000000000000", action);
      expect(missing.status).toBe(404);
      expect(missing.json.error).toMatchObject({ code: "NotFound", target: "invoiceId" });
    }
  });
});

describe.each(databaseKinds)("racing payment marks on %s", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database, clock: new ManualClock(start), seed: seedWithWebhook() });
    await newTestClock(server, "race");
    await buyAndActivate(server, { offerId: "seats", planId: "team", quantity: 1, testClock: "race" });
    await settleLedger(server);
    await advance(server, "P3M", "race");
  });
  afterAll(async () => server?.stop());

  it("lets exactly one of two simultaneous marks of the same kind succeed", async () => {
    const [first, second] = await invoicesOf(server, fixture.buyerTenant, "race");
    for (const [invoice, action] of [
      [first, "fail"],
      [second, "pay"],
    ] as const) {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          call(server, server.operatorKey, "POST", `/operator/v1/invoices/${invoice?.id}/${action}`),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409]);
    }
  });
});
