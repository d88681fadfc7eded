import { afterEach, describe, expect, it } from "vitest";
import type { WebhookFaultDecision, WebhookFaultSource } from "../../src/faults/directive.js";
import { enqueueDelivery } from "../../src/webhooks/outbox.js";
import { databaseKinds } from "../support/databases.js";
import { startWebhookHarness, type WebhookHarness } from "./harness.js";
import {
  delivery,
  pointWebhookAt,
  queueDeliveries,
  type Receiver,
  startReceiver,
  waitUntil,
} from "./receiver.js";

const fastRetries = {
  webhookRetryInitialDelayMs: 20,
  webhookRetryMaxDelayMs: 100,
  webhookMaxAttempts: 4,
};

/** Fault directives scripted per delivery and attempt, standing in for configured faults. */
function scriptedFaults(script: Record<string, Record<number, WebhookFaultDecision>>): WebhookFaultSource {
  return {
    forAttempt: async ({ deliveryId, attempt }) => script[deliveryId]?.[attempt],
  };
}

describe.each(databaseKinds)("delivery outcomes and faults on %s", (kind) => {
  let harness: WebhookHarness | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await harness?.stop();
    await receiver?.close();
    harness = undefined;
    receiver = undefined;
  });

  async function start(faults?: WebhookFaultSource) {
    receiver = await startReceiver();
    harness = await startWebhookHarness(kind, { lifecycle: fastRetries, ...(faults ? { faults } : {}) });
    await pointWebhookAt(harness.database.db, "contoso", receiver.url);
    return { harness, receiver };
  }

  const statusOf = async (h: WebhookHarness, id: string) =>
    (
      await h.database.db
        .selectFrom("webhook_deliveries")
        .select(["status", "attempts"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).status;

  const attemptsOf = (h: WebhookHarness, id: string) =>
    h.database.db
      .selectFrom("webhook_attempts")
      .selectAll()
      .where("delivery_id", "=", id)
      .orderBy("attempt")
      .execute();

  it("a 4xx to an InProgress ChangePlan is a rejection: no retry, the listener is told", async () => {
    const { harness, receiver } = await start();
    receiver.respond = () => ({ status: 400, body: '{"error":"plan not supported"}' });
    const subscriptionId = "22222222-0000-4000-8000-000000000001";
    const queued = delivery({ subscriptionId, action: "ChangePlan" });
    const [id] = await queueDeliveries(harness.database.db, [queued]);
    if (!id) throw new Error("not queued");
    await harness.worker.runOnce();
    expect(await statusOf(harness, id)).toBe("rejected");
    expect(receiver.calls).toHaveLength(1);
    expect(harness.told).toEqual([
      {
        kind: "rejected",
        statusCode: 400,
        notice: {
          deliveryId: id,
          subscriptionId,
          publisherId: "contoso",
          operationId: queued.operationId,
          action: "ChangePlan",
          payloadStatus: "InProgress",
        },
      },
    ]);
    const [attempt] = await attemptsOf(harness, id);
    expect(attempt).toMatchObject({
      outcome: "rejected",
      response_snippet: '{"error":"plan not supported"}',
    });
  });

  it("a 4xx to a notify-only Renew is retried until it is accepted, then the listener hears delivered", async () => {
    const { harness, receiver } = await start();
    receiver.respond = (_call, index) => (index < 2 ? 404 : 200);
    const [id] = await queueDeliveries(harness.database.db, [
      delivery({ subscriptionId: "22222222-0000-4000-8000-000000000002" }),
    ]);
    if (!id) throw new Error("not queued");
    await harness.worker.runOnce();
    await waitUntil(
      async () => ((await statusOf(harness, id)) === "delivered" ? true : undefined),
      "delivery",
    );
    expect(receiver.calls).toHaveLength(3);
    expect(harness.told.map((told) => told.kind)).toEqual(["delivered"]);
  });

  it("a delivery that runs out of attempts fails and the listener hears gaveUp", async () => {
    const { harness, receiver } = await start();
    receiver.respond = () => 502;
    const [id] = await queueDeliveries(harness.database.db, [
      delivery({ subscriptionId: "22222222-0000-4000-8000-000000000003", action: "ChangeQuantity" }),
    ]);
    if (!id) throw new Error("not queued");
    await harness.worker.runOnce();
    await waitUntil(async () => ((await statusOf(harness, id)) === "failed" ? true : undefined), "giving up");
    expect(receiver.calls).toHaveLength(4);
    expect(harness.told.map((told) => told.kind)).toEqual(["gaveUp"]);
  });

  it("a connection refused is retried like a failure", async () => {
    const { harness, receiver } = await start();
    await receiver.close();
    const [id] = await queueDeliveries(harness.database.db, [
      delivery({ subscriptionId: "22222222-0000-4000-8000-000000000004" }),
    ]);
    if (!id) throw new Error("not queued");
    await harness.worker.runOnce();
    await waitUntil(async () => ((await statusOf(harness, id)) === "failed" ? true : undefined), "giving up");
    const attempts = await attemptsOf(harness, id);
    expect(attempts).toHaveLength(4);
    expect(attempts[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it("obeys fault directives: status and timeout skip the call, duplicate calls twice, delay waits", async () => {
    const ids = {
      status: "33333333-0000-4000-8000-000000000001",
      timeout: "33333333-0000-4000-8000-000000000002",
      duplicate: "33333333-0000-4000-8000-000000000003",
      delay: "33333333-0000-4000-8000-000000000004",
    };
    const { harness, receiver } = await start(
      scriptedFaults({
        [ids.status]: { 1: { fault: { kind: "status", status: 503 }, label: "fault A: status 503" } },
        [ids.timeout]: { 1: { fault: { kind: "timeout" }, label: "fault B: timeout" } },
        [ids.duplicate]: { 1: { fault: { kind: "duplicate" }, label: "fault C: duplicate" } },
        [ids.delay]: { 1: { fault: { kind: "delay", ms: 50 }, label: "fault D: delay 50 ms" } },
      }),
    );
    const db = harness.database.db;
    await db.transaction().execute(async (trx) => {
      for (const [name, id] of Object.entries(ids)) {
        const queued = delivery({ subscriptionId: `sub-${name}` });
        await enqueueDelivery(trx, queued);
        await trx
          .updateTable("webhook_deliveries")
          .set({ id })
          .where("event_id", "=", queued.eventId)
          .execute();
      }
    });
    await harness.worker.runOnce();
    for (const id of Object.values(ids)) {
      await waitUntil(async () => ((await statusOf(harness, id)) === "delivered" ? true : undefined), id);
    }
    const deliveryIds = receiver.calls.map((call) => call.headers["x-saasport-delivery-id"]);
    // status and timeout: the first attempt never reached the receiver; duplicate: attempt 1 twice.
    expect(deliveryIds.filter((id) => id === ids.status)).toHaveLength(1);
    expect(deliveryIds.filter((id) => id === ids.timeout)).toHaveLength(1);
    expect(
      receiver.calls
        .filter((call) => call.headers["x-saasport-delivery-id"] === ids.duplicate)
        .map((call) => call.headers["x-saasport-attempt"]),
    ).toEqual(["1", "1"]);
    const [statusAttempt] = await attemptsOf(harness, ids.status);
    expect(statusAttempt).toMatchObject({ status_code: 503, outcome: "retry", fault: "fault A: status 503" });
    const [timeoutAttempt] = await attemptsOf(harness, ids.timeout);
    expect(timeoutAttempt).toMatchObject({ status_code: null, outcome: "retry", error: "timed out" });
    const [delayAttempt] = await attemptsOf(harness, ids.delay);
    expect(delayAttempt).toMatchObject({ outcome: "delivered", fault: "fault D: delay 50 ms" });
  });

  it("an out-of-order fault holds a delivery back and lets the next one of its subscription overtake it", async () => {
    const subscriptionId = "44444444-0000-4000-8000-000000000001";
    let heldId = "";
    const { harness, receiver } = await start({
      forAttempt: async ({ deliveryId, attempt }) =>
        deliveryId === heldId && attempt === 1
          ? { fault: { kind: "outOfOrder", holdMs: 150 }, label: "fault E: out of order" }
          : undefined,
    });
    const [first, second] = await queueDeliveries(harness.database.db, [
      delivery({ subscriptionId, seq: 1, payload: { seqMarker: 1 } }),
      delivery({ subscriptionId, seq: 2, payload: { seqMarker: 2 } }),
    ]);
    heldId = first ?? "";
    await harness.worker.runOnce();
    const calls = await receiver.waitForCalls(2);
    expect(calls.map((call) => call.headers["x-saasport-delivery-id"])).toEqual([second, first]);
    expect(calls[1]?.headers["x-saasport-attempt"]).toBe("2");
    await waitUntil(
      async () => ((await statusOf(harness, heldId)) === "delivered" ? true : undefined),
      "delivery",
    );
    const attempts = await attemptsOf(harness, heldId);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(["held", "delivered"]);
    expect(attempts[0]?.fault).toBe("fault E: out of order");
  });
});
