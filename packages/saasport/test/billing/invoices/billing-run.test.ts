import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultBilling } from "../../../src/config/settings.js";
import { advance } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { fixture, seedFixtureCatalog } from "../../support/fixture-catalog.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";
import { buyAndActivate, newTestClock } from "../ledger-support.js";
import { call, invoicesOf, settleLedger, start } from "./invoice-support.js";

describe.each(databaseKinds)("POST /operator/v1/billing/run on %s", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      database,
      clock: new ManualClock(start),
      seed: seedFixtureCatalog,
      // The background worker stays out of the way: only the clock moves and the route run the ledger.
      settings: { billing: { ...defaultBilling, pollIntervalMs: 3_600_000 } },
    });
    await newTestClock(server, "run");
    await buyAndActivate(server, { offerId: "seats", planId: "team", quantity: 3, testClock: "run" });
    await advance(server, "P2M", "run");
    // The move's events wake the background run 250 ms later; let it start, then wait for it to end.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await settleLedger(server);
  });
  afterAll(async () => server?.stop());

  const run = (query = "") => call(server, server.operatorKey, "POST", `/operator/v1/billing/run${query}`);

  it("issues the invoices of the months that ended on one test clock", async () => {
    // Undo the invoicing the clock move did, so the run has months to invoice.
    const db = server.handle.database.db;
    await db.updateTable("ledger_lines").set({ invoice_id: null }).where("clock", "=", "run").execute();
    await db.deleteFrom("invoices").where("clock", "=", "run").execute();

    const answer = await run("?testClock=run");
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({
      runs: [{ testClock: "run", linesComputed: 0, invoicesIssued: 2, linesInvoiced: 2 }],
    });
    const invoices = await invoicesOf(server, fixture.buyerTenant, "run");
    expect(invoices.map((invoice) => [invoice.month, invoice.status])).toEqual([
      ["2025-01", "open"],
      ["2025-02", "open"],
    ]);
    expect((await run("?testClock=run")).json.runs[0].invoicesIssued).toBe(0);
  });

  it("runs every clock without testClock, and the global clock with an empty one", async () => {
    const all = await run();
    expect(all.status).toBe(200);
    expect(all.json.runs.map((one: { testClock: string | null }) => one.testClock)).toEqual([null, "run"]);
    const global = await run("?testClock=");
    expect(global.json).toEqual({
      runs: [{ testClock: null, linesComputed: 0, invoicesIssued: 0, linesInvoiced: 0 }],
    });
  });

  it("refuses an unknown or malformed test clock", async () => {
    const missing = await run("?testClock=nowhere");
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: "NotFound", target: "testClock" });
    expect(missing.json.error.message).toContain('no test clock "nowhere"');
    const malformed = await run("?testClock=a%2Fb");
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: "BadArgument", target: "testClock" });
  });
});
