import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";

// On PostgreSQL the activations that arrive together are read in one query and committed in one
// statement (subscriptions/activator.ts): each must still get its own answer, and each subscription
// exactly one activation.
describe.each(databaseKinds)("activations arriving together on %s", (kind) => {
  let server: TestServer;
  let contoso: ReturnType<typeof api>;
  const clock = new ManualClock(new Date("2026-05-04T09:00:00.000Z"));

  beforeAll(async () => {
    server = await startTestServer({ database: kind, clock, seed: seedFixtureCatalog });
    contoso = api(server, await publisherToken(server, "contoso"));
  });
  afterAll(async () => server?.stop());

  it("activates each once, answering 200, 400, 403 and 404 as if they came one by one", async () => {
    const pending = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        purchase(server, {
          offerId: index % 2 === 0 ? "analytics" : "seats",
          planId: index % 2 === 0 ? "basic" : "team",
          quantity: index % 2 === 0 ? undefined : 3,
        }),
      ),
    );
    const active = await purchase(server, { offerId: "analytics", planId: "basic" });
    expect((await contoso("POST", `/saas/subscriptions/${active.subscriptionId}/activate`)).status).toBe(200);
    const theirs = await purchase(server, { offerId: "backup", planId: "standard" });
    const twice = pending[0]?.subscriptionId as string;
    const calls = [
      ...pending.map((bought, index) => ({
        id: index === 1 ? bought.subscriptionId.toUpperCase() : bought.subscriptionId,
        status: 200,
      })),
      { id: active.subscriptionId, status: 400 },
      { id: theirs.subscriptionId, status: 403 },
      { id: randomUUID(), status: 404 },
    ];
    const answers = await Promise.all([
      ...calls.map((call) => contoso("POST", `/saas/subscriptions/${call.id}/activate`)),
      contoso("POST", `/saas/subscriptions/${twice}/activate`),
    ]);
    calls.forEach((call, index) => {
      if (call.id === twice) return;
      expect(answers[index]?.status, call.id).toBe(call.status);
    });
    // The same subscription twice in the crowd: one activation, one "already Subscribed".
    const twiceAnswers = [answers[0]?.status, answers.at(-1)?.status].sort();
    expect(twiceAnswers).toEqual([200, 400]);
    expect(answers.at(-4)?.json).toMatchObject({ code: "BadRequest" });

    for (const bought of pending) {
      const got = await contoso("GET", `/saas/subscriptions/${bought.subscriptionId}`);
      expect(got.json.saasSubscriptionStatus).toBe("Subscribed");
      expect(got.json.term.startDate).toBe("2026-05-04T00:00:00Z");
    }
    const events = await server.handle.database.db
      .selectFrom("events")
      .select(["subscription_id", "seq", "type", "snapshot"])
      .where(
        "subscription_id",
        "in",
        pending.map((bought) => bought.subscriptionId),
      )
      .where("type", "=", "Activated")
      .execute();
    expect(events).toHaveLength(pending.length);
    for (const event of events) {
      expect(Number(event.seq)).toBe(2);
      expect(JSON.parse(event.snapshot as string)).toMatchObject({
        status: "Subscribed",
        termStart: "2026-05-04T00:00:00.000Z",
      });
    }
  });
});
