import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTwoNodes, type TestServer } from "../support/server.js";

/** Two Saasport processes on one PostgreSQL database, as an operator runs them. */
describe.skipIf(!databaseKinds.includes("postgres"))("two nodes on one PostgreSQL database", () => {
  let nodes: Awaited<ReturnType<typeof startTwoNodes>> | undefined;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    nodes = await startTwoNodes(seedFixtureCatalog);
    ({ first, second } = nodes);
  });
  afterAll(() => nodes?.stop());

  it("lets exactly one of simultaneous changes on two nodes through (the lock is the database's)", async () => {
    // Operations stay pending for the test: else the first can be applied (and the lock released)
    // before a slow request of the burst arrives, which then rightly succeeds too.
    const slow = await startTwoNodes(seedFixtureCatalog, {
      fidelity: { ...first.handle.settings.fidelity, partnerOperationDelayMs: 60_000 },
    });
    try {
      const onFirst = api(slow.first, await publisherToken(slow.first, "contoso"));
      const onSecond = api(slow.second, await publisherToken(slow.second, "contoso"));
      for (let round = 0; round < 5; round++) {
        const { subscriptionId } = await purchase(slow.first, {
          offerId: "seats",
          planId: "team",
          quantity: 2,
        });
        expect((await onSecond("POST", `/saas/subscriptions/${subscriptionId}/activate`)).status).toBe(200);
        const answers = await Promise.all(
          [onFirst, onSecond, onFirst, onSecond].map((call, index) =>
            call("PATCH", `/saas/subscriptions/${subscriptionId}`, { body: { quantity: 3 + index } }),
          ),
        );
        expect(answers.map((answer) => answer.status).sort()).toEqual([202, 400, 400, 400]);
      }
    } finally {
      await slow.stop();
    }
  });

  it("carries every operation to Succeeded once, whichever node takes it, while both process", async () => {
    const onFirst = api(first, await publisherToken(first, "contoso"));
    const onSecond = api(second, await publisherToken(second, "contoso"));
    const subscriptions: string[] = [];
    for (let index = 0; index < 20; index++) {
      const { subscriptionId } = await purchase(first, { offerId: "seats", planId: "team", quantity: 1 });
      expect((await onFirst("POST", `/saas/subscriptions/${subscriptionId}/activate`)).status).toBe(200);
      subscriptions.push(subscriptionId);
    }
    const locations = await Promise.all(
      subscriptions.map(async (subscriptionId, index) => {
        const call = index % 2 === 0 ? onFirst : onSecond;
        const answer = await call("PATCH", `/saas/subscriptions/${subscriptionId}`, {
          body: { quantity: 5 },
        });
        expect(answer.status).toBe(202);
        return new URL(answer.headers.get("operation-location") ?? "").pathname.replace(/^\/api/, "");
      }),
    );
    await Promise.all([first.handle.runBackgroundWork(), second.handle.runBackgroundWork()]);
    for (const [index, location] of locations.entries()) {
      expect((await onSecond("GET", location)).json.status).toBe("Succeeded");
      expect((await onFirst("GET", `/saas/subscriptions/${subscriptions[index]}`)).json.quantity).toBe(5);
    }
    const rows = await first.handle.database.db
      .selectFrom("operations")
      .select(["id", "status"])
      .where("subscription_id", "in", subscriptions)
      .execute();
    expect(rows).toHaveLength(subscriptions.length);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(["Succeeded"]));
  });
});
