import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultLifecycle } from "../../src/config/settings.js";
import { enqueueDelivery } from "../../src/webhooks/outbox.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { addFault, faultsCall } from "./support.js";

/** A real loopback webhook receiver that answers 200 and records what it got. */
async function startReceiver() {
  const calls: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      calls.push(request.headers);
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface DeliveryDetail {
  status: string;
  attemptLog: { attempt: number; statusCode: number | null; outcome: string; fault: string | null }[];
}

describe.each(databaseKinds)("webhook faults through the dispatcher on %s", (database) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let subscriptionId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      database,
      settings: {
        lifecycle: { ...defaultLifecycle, webhookRetryInitialDelayMs: 20, webhookRetryMaxDelayMs: 100 },
      },
      seed: async (db) => {
        await seedFixtureCatalog(db);
        await db.updateTable("publishers").set({ webhook_url: receiver.url }).execute();
      },
    });
    subscriptionId = (await purchase(server, { offerId: "analytics", planId: "basic" })).subscriptionId;
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });
  beforeEach(async () => {
    await faultsCall(server, "DELETE");
    receiver.calls.length = 0;
  });

  async function queueRenew(seq = 1): Promise<string> {
    const operationId = crypto.randomUUID();
    const id = await server.handle.database.db.transaction().execute((trx) =>
      enqueueDelivery(trx, {
        eventId: crypto.randomUUID(),
        subscriptionId,
        publisherId: "contoso",
        seq,
        action: "Renew",
        operationId,
        payload: { id: operationId, subscriptionId, action: "Renew", status: "Succeeded" },
        now: new Date().toISOString(),
      }),
    );
    await server.handle.runBackgroundWork();
    return id;
  }

  /** Waits (bounded) until the delivery is delivered, driving the dispatcher meanwhile. */
  async function delivered(deliveryId: string): Promise<DeliveryDetail> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const response = await server.fetch(`/operator/v1/webhook-deliveries/${deliveryId}`, {
        headers: { authorization: `Bearer ${server.operatorKey}` },
      });
      const detail = (await response.json()) as DeliveryDetail;
      if (detail.status === "delivered") return detail;
      if (Date.now() > deadline)
        throw new Error(`delivery still ${detail.status}: ${JSON.stringify(detail)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
      await server.handle.runBackgroundWork();
    }
  }

  it("fails the first two attempts with 503 and lets the third reach the receiver", async () => {
    const fault = await addFault(server, {
      target: "webhook",
      kind: "status",
      status: 503,
      count: 2,
      subscriptionId,
    });
    const detail = await delivered(await queueRenew());
    expect(
      detail.attemptLog.map(({ attempt, statusCode, fault }) => ({ attempt, statusCode, fault })),
    ).toEqual([
      { attempt: 1, statusCode: 503, fault: fault.label },
      { attempt: 2, statusCode: 503, fault: fault.label },
      { attempt: 3, statusCode: 200, fault: null },
    ]);
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0]?.["x-saasport-attempt"]).toBe("3");
  });

  it("delivers twice with the same delivery id for a duplicate fault", async () => {
    await addFault(server, { target: "webhook", kind: "duplicate", count: 1, publisherId: "contoso" });
    const deliveryId = await queueRenew();
    await delivered(deliveryId);
    expect(receiver.calls.map((headers) => headers["x-saasport-delivery-id"])).toEqual([
      deliveryId,
      deliveryId,
    ]);
  });

  it("lets a later delivery of the subscription overtake one held back by an outOfOrder fault", async () => {
    const fault = await addFault(server, {
      target: "webhook",
      kind: "outOfOrder",
      holdMs: 200,
      count: 1,
      subscriptionId,
    });
    const first = await queueRenew(1);
    const second = await queueRenew(2);
    const held = await delivered(first);
    await delivered(second);
    expect(receiver.calls.map((headers) => headers["x-saasport-delivery-id"])).toEqual([second, first]);
    expect(held.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: null, fault: fault.label });
  });
});
