import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { publisherToken } from "../support/marketplace-client.js";
import { buy, type MeteringServer, startMeteringServer, usageEvent } from "./metering-support.js";

describe.each(databaseKinds)("the publisher's usage report on %s", (kind) => {
  let env: MeteringServer;
  let contosoToken: string;
  let fabrikamToken: string;
  beforeAll(async () => {
    env = await startMeteringServer(kind);
    contosoToken = await publisherToken(env.server, "contoso");
    fabrikamToken = await publisherToken(env.server, "fabrikam");
  });
  afterAll(() => env?.server.stop());

  const report = async (query: string, token = contosoToken) => {
    const response = await env.server.fetch(`/partner/v1/usage?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it("sums accepted usage per day, subscription and dimension, exactly", async () => {
    const id = await buy(env);
    const batch = await env.contoso("POST", "/batchUsageEvent", {
      body: {
        request: [
          usageEvent(id, 1, { quantity: 2.5 }),
          usageEvent(id, 2, { quantity: 0.1 }),
          usageEvent(id, 3, { quantity: 0.2 }),
        ],
      },
    });
    expect(batch.status).toBe(200);
    const answer = await report(`from=2026-05-02&subscriptionId=${id}`);
    expect(answer.status).toBe(200);
    expect(answer.json.usage).toEqual([
      {
        day: "2026-05-02",
        subscriptionId: id,
        offerId: "analytics",
        planId: "basic",
        dimension: "api-calls",
        quantity: "2.8",
        events: 3,
      },
    ]);
    expect((await report("from=2026-05-03&to=2026-05-04")).json.usage).toEqual([]);
  });

  it("shows a publisher only its own usage and checks the days", async () => {
    const id = await buy(env);
    await env.contoso("POST", "/usageEvent", { body: usageEvent(id, 1) });
    const theirs = await report(`from=2026-05-02&subscriptionId=${id}`, fabrikamToken);
    expect(theirs.status).toBe(200);
    expect(theirs.json.usage).toEqual([]);
    expect((await report("from=2026-05-02&to=2026-05-01")).status).toBe(400);
    expect((await report("from=2026-02-30")).status).toBe(400);
    expect((await report("from=2025-01-01&to=2026-05-01")).status).toBe(400);
    expect((await report("to=2026-05-01")).status).toBe(400);
    expect((await report("from=2026-05-02", "not-a-token")).status).toBe(401);
  });
});
