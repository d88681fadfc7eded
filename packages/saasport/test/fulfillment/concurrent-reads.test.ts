import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";

// On PostgreSQL the reads of requests that arrive together are one query (db/read-batcher.ts): every
// answer must still be the one of its own request, whatever else shared its read.
describe.each(databaseKinds)("GET and resolve arriving together on %s", (kind) => {
  let server: TestServer;
  let contoso: ReturnType<typeof api>;
  let fabrikam: ReturnType<typeof api>;
  const clock = new ManualClock(new Date("2026-05-04T09:00:00.000Z"));

  beforeAll(async () => {
    server = await startTestServer({ database: kind, clock, seed: seedFixtureCatalog });
    contoso = api(server, await publisherToken(server, "contoso"));
    fabrikam = api(server, await publisherToken(server, "fabrikam"));
  });
  afterAll(async () => server?.stop());

  it("gives each GET its own subscription, 404 or 403 among many at once", async () => {
    const ours = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        purchase(server, { offerId: "analytics", planId: "basic", name: `ours ${index}` }),
      ),
    );
    const theirs = await purchase(server, { offerId: "backup", planId: "standard", name: "theirs" });
    const unknown = randomUUID();
    const calls = [
      ...ours.map((bought) => ({ id: bought.subscriptionId, status: 200 })),
      ...ours.slice(0, 3).map((bought) => ({ id: bought.subscriptionId.toUpperCase(), status: 200 })),
      { id: theirs.subscriptionId, status: 403 },
      { id: unknown, status: 404 },
    ];
    const answers = await Promise.all(calls.map((call) => contoso("GET", `/saas/subscriptions/${call.id}`)));
    answers.forEach((answer, index) => {
      const call = calls[index] as (typeof calls)[number];
      expect(answer.status, call.id).toBe(call.status);
      if (call.status === 200) expect(answer.json.id).toBe(call.id.toLowerCase());
    });
    expect(answers.filter((answer) => answer.status === 200).map((answer) => answer.json.name)).toEqual([
      ...ours.map((_, index) => `ours ${index}`),
      "ours 0",
      "ours 1",
      "ours 2",
    ]);
    // The other publisher reads its own in the same crowd.
    const [own, foreign] = await Promise.all([
      fabrikam("GET", `/saas/subscriptions/${theirs.subscriptionId}`),
      fabrikam("GET", `/saas/subscriptions/${ours[0]?.subscriptionId}`),
    ]);
    expect([own.status, own.json.name, foreign.status]).toEqual([200, "theirs", 403]);
  });

  it("resolves each token to its own subscription, URL-encoded or not, unknown and expired ones refused", async () => {
    const stale = await purchase(server, { offerId: "analytics", planId: "basic", name: "stale" });
    clock.advance(25 * 3600 * 1000);
    contoso = api(server, await publisherToken(server, "contoso"));
    const fresh = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        purchase(server, { offerId: "analytics", planId: "basic", name: `fresh ${index}` }),
      ),
    );
    const calls = [
      ...fresh.map((bought, index) => ({ token: bought.token, name: `fresh ${index}` })),
      ...fresh
        .slice(0, 2)
        .map((bought, index) => ({ token: encodeURIComponent(bought.token), name: `fresh ${index}` })),
      { token: stale.token, name: undefined },
      { token: "bm90LWEtdG9rZW4=", name: undefined },
    ];
    const answers = await Promise.all(
      calls.map((call) =>
        contoso("POST", "/saas/subscriptions/resolve", { headers: { "x-ms-marketplace-token": call.token } }),
      ),
    );
    answers.forEach((answer, index) => {
      const call = calls[index] as (typeof calls)[number];
      if (call.name === undefined) {
        expect(answer.status).toBe(400);
        expect(answer.json).toMatchObject({ code: "InvalidValue", target: "token" });
      } else {
        expect(answer.status).toBe(200);
        expect(answer.json.subscriptionName).toBe(call.name);
        expect(answer.json.subscription.name).toBe(call.name);
      }
    });
    expect(answers.at(-2)?.json.message).toMatch(/expired/);
  });
});
