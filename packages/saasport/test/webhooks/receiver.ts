import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Kysely } from "kysely";
import type { Database } from "../../src/db/tables.js";
import { enqueueDelivery, type QueuedDelivery } from "../../src/webhooks/outbox.js";

export interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAtMs: number;
}

export type Responder = (call: ReceivedCall, index: number) => number | { status: number; body?: string };

/** A real loopback webhook receiver that records every call and answers what `respond` says (200 by default). */
export interface Receiver {
  url: string;
  calls: ReceivedCall[];
  respond: Responder;
  /** Resolves once at least `count` calls arrived; rejects after `timeoutMs`. */
  waitForCalls(count: number, timeoutMs?: number): Promise<ReceivedCall[]>;
  close(): Promise<void>;
}

export async function startReceiver(respond: Responder = () => 200): Promise<Receiver> {
  const calls: ReceivedCall[] = [];
  let waiters: Array<() => void> = [];
  const receiver: Receiver = {
    url: "",
    calls,
    respond,
    async waitForCalls(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} webhook calls, received ${calls.length}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return calls;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const call = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAtMs: Date.now(),
      };
      const index = calls.length;
      calls.push(call);
      const answer = receiver.respond(call, index);
      const { status, body } = typeof answer === "number" ? { status: answer, body: undefined } : answer;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(body ?? JSON.stringify({ received: index }));
      const pending = waiters;
      waiters = [];
      for (const wake of pending) wake();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return receiver;
}

/** Points a publisher's connection webhook at a receiver. */
export async function pointWebhookAt(db: Kysely<Database>, publisherId: string, url: string): Promise<void> {
  await db.updateTable("publishers").set({ webhook_url: url }).where("id", "=", publisherId).execute();
}

let sequence = 0;

/** A delivery as the lifecycle would queue it, with overridable fields. */
export function delivery(overrides: Partial<QueuedDelivery> & { subscriptionId: string }): QueuedDelivery {
  sequence++;
  const action = overrides.action ?? "Renew";
  const operationId =
    overrides.operationId ?? `00000000-0000-4000-8000-${String(sequence).padStart(12, "0")}`;
  return {
    eventId: `event-${sequence}-${Math.random().toString(36).slice(2)}`,
    publisherId: "contoso",
    seq: 1,
    action,
    operationId,
    payload: {
      id: operationId,
      activityId: operationId,
      subscriptionId: overrides.subscriptionId,
      publisherId: overrides.publisherId ?? "contoso",
      offerId: "analytics",
      planId: "basic",
      quantity: 1,
      action,
      status: action === "ChangePlan" || action === "ChangeQuantity" ? "InProgress" : "Succeeded",
      timeStamp: new Date().toISOString(),
    },
    now: new Date().toISOString(),
    ...overrides,
  };
}

/** Queues deliveries the way the lifecycle does: inside a transaction. Returns their ids. */
export async function queueDeliveries(db: Kysely<Database>, deliveries: QueuedDelivery[]): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (const queued of deliveries) ids.push(await enqueueDelivery(trx, queued));
    return ids;
  });
}

export async function waitUntil<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
