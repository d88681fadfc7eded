import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operator } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { api, publisherToken } from "../../support/marketplace-client.js";
import { startTwoNodes, type TestServer } from "../../support/server.js";
import { cancelInStore, changeInStore, seedLedgerCatalog, tenants } from "./e2e-support.js";
import { expectStoredEqualsRebuilt } from "./rebuild-support.js";

/**
 * Two Saasport processes on one PostgreSQL database, both running the ledger: their workers, their clock
 * moves (each brings the ledger and the invoices up to date) and explicit runs all at once. Every line
 * is stored once and every invoice issued once, with exactly the lines a rebuild from the events gives.
 */
describe.skipIf(!databaseKinds.includes("postgres"))(
  "the ledger on two nodes of one PostgreSQL database",
  () => {
    let nodes: Awaited<ReturnType<typeof startTwoNodes>>;
    const clock = "two-nodes";

    beforeAll(async () => {
      nodes = await startTwoNodes(seedLedgerCatalog);
    });
    afterAll(async () => nodes?.stop());

    const purchases = [
      { offerId: "analytics", planId: "basic", termUnit: "P1M" },
      { offerId: "analytics", planId: "metered", termUnit: "P1M" },
      { offerId: "analytics", planId: "metered", termUnit: "P1Y" },
      { offerId: "analytics", planId: "metered-pro", termUnit: "P1M" },
      { offerId: "seats", planId: "desk", termUnit: "P1Y", quantity: 7 },
      { offerId: "seats", planId: "studio", termUnit: "P1M", quantity: 3 },
      { offerId: "seats", planId: "desk-upfront", termUnit: "P1Y", quantity: 12 },
    ];
    const payers = [
      { beneficiary: tenants.buyer },
      { beneficiary: tenants.stranger },
      { beneficiary: tenants.buyer, purchaser: tenants.reseller },
    ];

    async function buy(node: TestServer, index: number): Promise<string> {
      const what = purchases[index % purchases.length] as (typeof purchases)[number];
      const who = payers[index % payers.length] as (typeof payers)[number];
      const bought = await operator(node, "POST", "/store/v1/purchases", {
        ...what,
        testClock: clock,
        beneficiary: { tenantId: who.beneficiary, emailId: "ada@buyer.example" },
        ...(who.purchaser ? { purchaser: { tenantId: who.purchaser } } : {}),
      });
      expect(bought.status, JSON.stringify(bought.body)).toBe(201);
      const id = bought.body.subscriptionId as string;
      const call = api(node, await publisherToken(node, "contoso"));
      expect((await call("POST", `/saas/subscriptions/${id}/activate`, { body: {} })).status).toBe(200);
      return id;
    }

    const advance = async (node: TestServer, duration: string) => {
      const moved = await operator(node, "POST", "/operator/v1/clock/advance", {
        duration,
        testClock: clock,
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      return moved.body as { now: string };
    };

    async function usage(node: TestServer, id: string, planId: string, quantity: number) {
      const reading = await operator(node, "GET", `/operator/v1/clock?testClock=${clock}`);
      const hour = new Date(Math.floor(Date.parse(reading.body.now) / 3_600_000) * 3_600_000 - 3_600_000);
      const call = api(node, await publisherToken(node, "contoso"));
      const sent = await call("POST", "/usageEvent", {
        body: {
          resourceId: id,
          planId,
          dimension: "api-calls",
          quantity,
          effectiveStartTime: hour.toISOString(),
        },
      });
      expect(sent.status, sent.text).toBe(200);
    }

    /** Both nodes move the clock and run every worker at the same time. */
    const together = (longer: string, shorter: string) =>
      Promise.all([
        advance(nodes.first, longer),
        advance(nodes.second, shorter),
        nodes.first.handle.runBackgroundWork(),
        nodes.second.handle.runBackgroundWork(),
      ]);

    it("stores every line once and issues every invoice once while both nodes bill at once", async () => {
      const { first, second } = nodes;
      expect((await operator(first, "POST", "/operator/v1/clocks", { name: clock })).status).toBe(201);
      const ids: string[] = [];
      for (let index = 0; index < 21; index++) ids.push(await buy(index % 2 === 0 ? first : second, index));
      const [basic, metered, meteredYear, , desk, studio, upfront] = ids as [string, ...string[]];
      await usage(first, metered as string, "metered", 900);
      await usage(second, meteredYear as string, "metered", 1500);
      await together("P20D", "PT6H");
      await changeInStore(second, desk as string, { quantity: 11 });
      await changeInStore(first, studio as string, { planId: "desk" });
      await usage(second, metered as string, "metered", 700);
      await together("P35D", "P2D");
      await cancelInStore(first, basic);
      await changeInStore(second, upfront as string, { quantity: 20 });
      await usage(first, meteredYear as string, "metered", 12_000);
      await together("P3M", "P1D");
      await together("P40D", "PT1H");
      await Promise.all([first.handle.runBackgroundWork(), second.handle.runBackgroundWork()]);

      const db = first.handle.database.db;
      const now = new Date((await operator(first, "GET", `/operator/v1/clock?testClock=${clock}`)).body.now);
      const checked = await expectStoredEqualsRebuilt(db, clock, now);
      expect(checked.lines).toBeGreaterThan(80);
      expect(checked.invoices).toBeGreaterThan(8);
      const lines = await db.selectFrom("ledger_lines").select(["line_key", "invoice_id"]).execute();
      expect(new Set(lines.map((line) => line.line_key)).size).toBe(lines.length);
      const invoices = await db
        .selectFrom("invoices")
        .select(["billing_account", "currency", "month"])
        .execute();
      expect(
        new Set(invoices.map((invoice) => `${invoice.billing_account}|${invoice.currency}|${invoice.month}`))
          .size,
      ).toBe(invoices.length);
    }, 60_000);
  },
);
