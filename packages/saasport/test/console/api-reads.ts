import { expect } from "vitest";
import type { TestServer } from "../support/server.js";

/** What the console tests read back through the APIs, to check a page's action really happened. */
export interface SubscriptionRead {
  quantity?: number;
  autoRenew: boolean;
  saasSubscriptionStatus: string;
  term?: { startDate?: string; endDate?: string };
}

export async function subscriptionOf(server: TestServer, id: string): Promise<SubscriptionRead> {
  const response = await server.fetch(`/operator/v1/subscriptions/${id}`, {
    headers: { authorization: `Bearer ${server.operatorKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SubscriptionRead;
}

/** A publisher's (by default Contoso's) webhook deliveries of one subscription. */
export async function deliveriesOf(server: TestServer, subscriptionId: string, publisherId = "contoso") {
  const response = await server.fetch(`/partner/v1/webhook-deliveries?subscriptionId=${subscriptionId}`, {
    headers: { authorization: `Bearer ${server.operatorKey}`, "x-saasport-publisher-id": publisherId },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { deliveries: { id: string; status: string }[] }).deliveries;
}

/** Reads until `done` holds (every 100 ms, 10 s at most). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let tries = 0; tries < 100; tries += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("timed out waiting");
}
