import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture } from "../support/fixture-catalog.js";
import { api, publisherToken } from "../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { eventsOf, operator, seedWithWebhook, start } from "./clock-support.js";

/** A publisher's webhook endpoint on loopback that accepts every call and remembers the bodies. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  bodies: Array<Record<string, unknown>>;
}> {
  const bodies: Array<Record<string, unknown>> = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      bodies.push(JSON.parse(text));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, bodies };
}

describe.each(databaseKinds)("a purchase on a test clock, end to end on %s", (database) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      database,
      clock: new ManualClock(start),
      seed: async (db) => {
        await seedWithWebhook(receiver.url)(db);
        // Fabrikam's endpoint refuses connections: its deliveries stay pending, waiting for a retry.
        await db
          .updateTable("publishers")
          .set({ webhook_url: "http://127.0.0.1:9/webhook" })
          .where("id", "=", "fabrikam")
          .execute();
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it("renews an activated subscription when its clock passes the term end and waits for the Renew webhook", async () => {
    expect((await operator(server, "POST", "/operator/v1/clocks", { name: "e2e" })).status).toBe(201);
    const bought = await operator(server, "POST", "/store/v1/purchases", {
      offerId: "analytics",
      planId: "basic",
      termUnit: "P1M",
      testClock: "e2e",
      beneficiary: { tenantId: fixture.buyerTenant },
    });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    const id = bought.body.subscriptionId as string;
    const call = api(server, await publisherToken(server, "contoso"));
    expect((await call("POST", `/saas/subscriptions/${id}/activate`, { body: {} })).status).toBe(200);
    const activated = (await call("GET", `/saas/subscriptions/${id}`)).json;
    expect(activated.term).toMatchObject({
      startDate: "2025-01-15T00:00:00Z",
      endDate: "2025-02-14T00:00:00Z",
    });

    const moved = await operator(
      server,
      "POST",
      "/operator/v1/clock/advance?waitForDeliveries=true&waitSeconds=30",
      {
        duration: "P1M",
        testClock: "e2e",
      },
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({
      testClock: "e2e",
      now: "2025-02-15T10:00:00.000Z",
      transitions: { renewed: 1, trialsConverted: 0, unsubscribed: 0 },
      deliveries: { queued: 1, delivered: 1, pending: 0, timedOut: false },
    });
    const renewed = (await call("GET", `/saas/subscriptions/${id}`)).json;
    expect(renewed.term).toMatchObject({
      startDate: "2025-02-15T00:00:00Z",
      endDate: "2025-03-14T00:00:00Z",
    });
    expect((await eventsOf(server, id)).filter((event) => event.type === "Renewed")).toHaveLength(1);
    const renewWebhooks = receiver.bodies.filter(
      (body) => body.subscriptionId === id && body.action === "Renew",
    );
    expect(renewWebhooks).toHaveLength(1);
    expect(renewWebhooks[0]).toMatchObject({
      status: "Succeeded",
      operationRequestSource: "Azure",
      planId: "basic",
    });
  });

  it("answers within the wait bound, saying which deliveries are still pending", async () => {
    expect((await operator(server, "POST", "/operator/v1/clocks", { name: "unreachable" })).status).toBe(201);
    const bought = await operator(server, "POST", "/store/v1/purchases", {
      offerId: "backup",
      planId: "standard",
      termUnit: "P1M",
      testClock: "unreachable",
      beneficiary: { tenantId: fixture.buyerTenant },
    });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    const call = api(server, await publisherToken(server, "fabrikam"));
    expect(
      (await call("POST", `/saas/subscriptions/${bought.body.subscriptionId}/activate`, { body: {} })).status,
    ).toBe(200);
    const moved = await operator(
      server,
      "POST",
      "/operator/v1/clock/advance?waitForDeliveries=true&waitSeconds=1",
      {
        duration: "P1M",
        testClock: "unreachable",
      },
    );
    expect(moved.status).toBe(200);
    expect(moved.body.transitions.renewed).toBe(1);
    expect(moved.body.deliveries).toMatchObject({ queued: 1, pending: 1, delivered: 0, timedOut: true });
    expect(moved.body.deliveries.message).toContain("still pending");
  });
});
