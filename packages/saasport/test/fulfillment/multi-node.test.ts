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

  it("activates each subscription once when both nodes are asked at the same moment", async () => {
    const onFirst = api(first, await publisherToken(first, "contoso"));
    const onSecond = api(second, await publisherToken(second, "contoso"));
    const bought = await Promise.all(
      Array.from({ length: 12 }, () => purchase(first, { offerId: "analytics", planId: "basic" })),
    );
    const ids = bought.map((subscription) => subscription.subscriptionId);
    // Each subscription asked twice, once per node, all in one crowd: one 200 and one 400 each.
    const answers = await Promise.all(
      ids.flatMap((id) => [
        onFirst("POST", `/saas/subscriptions/${id}/activate`),
        onSecond("POST", `/saas/subscriptions/${id}/activate`),
      ]),
    );
    ids.forEach((id, index) => {
      const statuses = [answers[2 * index]?.status, answers[2 * index + 1]?.status].sort();
      expect(statuses, id).toEqual([200, 400]);
    });
    const events = await first.handle.database.db
      .selectFrom("events")
      .select(["subscription_id", "seq"])
      .where("subscription_id", "in", ids)
      .where("type", "=", "Activated")
      .execute();
    expect(events.map((event) => event.subscription_id).sort()).toEqual([...ids].sort());
    expect(new Set(events.map((event) => Number(event.seq)))).toEqual(new Set([2]));
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
