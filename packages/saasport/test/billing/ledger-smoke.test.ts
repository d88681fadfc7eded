import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance } from "../clock/clock-support.js";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { buyAndActivate, invoicesOf, linesOf, newTestClock } from "./ledger-support.js";

describe.each(databaseKinds)("ledger smoke on %s", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      database,
      clock: new ManualClock(new Date("2025-01-15T10:00:00.000Z")),
      seed: seedFixtureCatalog,
    });
  });
  afterAll(async () => server?.stop());

  it("charges a per-seat monthly plan every month and invoices each month", async () => {
    await newTestClock(server, "smoke");
    const id = await buyAndActivate(server, {
      offerId: "seats",
      planId: "team",
      termUnit: "P1M",
      quantity: 3,
      testClock: "smoke",
    });
    await advance(server, "P2M", "smoke");
    const lines = await linesOf(server.handle.database.db, id);
    console.log(lines.map((l) => [l.kind, l.on_day, l.amount, l.description, l.invoice_id]));
    const invoices = await invoicesOf(server.handle.database.db, fixture.buyerTenant, "smoke");
    console.log(invoices);
    expect(lines.length).toBe(3);
  });
});
