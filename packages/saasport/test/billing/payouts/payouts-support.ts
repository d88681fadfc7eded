import { expect } from "vitest";
import { defaultBilling } from "../../../src/config/settings.js";
import { operator, start } from "../../clock/clock-support.js";
import type { DatabaseKind } from "../../support/databases.js";
import { fixture, seedFixtureCatalog } from "../../support/fixture-catalog.js";
import { api, publisherToken } from "../../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";

export type Publisher = "contoso" | "fabrikam";

/**
 * A server on the fixture catalog whose real clock starts at 2025-01-15T10:00:00Z. With "automatic"
 * collection every invoice is paid as it is issued, at the first instant after its month.
 */
export function startBillingServer(
  database: DatabaseKind,
  invoiceCollection: "automatic" | "manual" = "automatic",
) {
  return startTestServer({
    database,
    clock: new ManualClock(start),
    seed: seedFixtureCatalog,
    settings: { billing: { ...defaultBilling, invoiceCollection } },
  });
}

export interface Purchase {
  publisher?: Publisher;
  offerId: string;
  planId: string;
  quantity?: number;
  termUnit?: string;
  testClock: string;
  tenantId?: string;
  purchaserTenantId?: string;
}

/** Buys on a test clock with the operator key and activates with the offer's own publisher's token. */
export async function buy(server: TestServer, purchase: Purchase): Promise<string> {
  const bought = await operator(server, "POST", "/store/v1/purchases", {
    offerId: purchase.offerId,
    planId: purchase.planId,
    termUnit: purchase.termUnit ?? "P1M",
    ...(purchase.quantity === undefined ? {} : { quantity: purchase.quantity }),
    testClock: purchase.testClock,
    beneficiary: { tenantId: purchase.tenantId ?? fixture.buyerTenant, emailId: "ada@buyer.example" },
    ...(purchase.purchaserTenantId ? { purchaser: { tenantId: purchase.purchaserTenantId } } : {}),
  });
  expect(bought.status, JSON.stringify(bought.body)).toBe(201);
  const id = bought.body.subscriptionId as string;
  const token = await publisherToken(server, purchase.publisher ?? "contoso");
  const activated = await api(server, token)("POST", `/saas/subscriptions/${id}/activate`, { body: {} });
  expect(activated.status, activated.text).toBe(200);
  await settleBilling(server);
  return id;
}

/**
 * Waits until the billing worker has followed every event recorded so far. A run the worker started
 * on an earlier event reads the clock again before it issues invoices, so a clock move right after a
 * change could otherwise invoice the month before the change's lines are computed (see the report).
 */
export async function settleBilling(server: TestServer): Promise<void> {
  await server.handle.runBackgroundWork();
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  json: any;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  const json = response.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

/** GET with a bearer token (a publisher's token or the operator key) and optional extra headers. */
export async function get(
  server: TestServer,
  path: string,
  bearer: string,
  headers: Record<string, string> = {},
) {
  return answerOf(await server.fetch(path, { headers: { authorization: `Bearer ${bearer}`, ...headers } }));
}

/** A /partner/v1 call made by the operator for a publisher. */
export function asPublisher(server: TestServer, publisher: Publisher, path: string) {
  return get(server, path, server.operatorKey, { "x-saasport-publisher-id": publisher });
}

export function asOperator(server: TestServer, path: string) {
  return get(server, path, server.operatorKey);
}

/** Marks an invoice paid at a business instant, as the (separately built) pay route would. */
export async function markPaid(server: TestServer, invoiceId: string, paidAt: string): Promise<void> {
  await server.handle.database.db
    .updateTable("invoices")
    .set({ status: "paid", paid_at: paidAt, updated_at: paidAt })
    .where("id", "=", invoiceId)
    .execute();
}

export async function invoicesOnClock(server: TestServer, clock: string) {
  return server.handle.database.db
    .selectFrom("invoices")
    .selectAll()
    .where("clock", "=", clock)
    .orderBy("month")
    .orderBy("billing_account")
    .execute();
}

/** Exact decimal arithmetic for assertions: "149.97" → 14997n (two-decimal currencies). */
export function cents(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole = "0", fraction = ""] = amount.replace("-", "").split(".");
  const value = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
  return negative ? -value : value;
}

/** Every statement's fee and payout add up to what was collected, to the minor unit. */
export function expectFeePlusPayoutIsCollected(
  statements: { collected: string; storeFee: string; payout: string }[],
) {
  for (const statement of statements) {
    expect(cents(statement.storeFee) + cents(statement.payout), JSON.stringify(statement)).toBe(
      cents(statement.collected),
    );
  }
}

/** A seat change the buyer asks for (through the operator) and the publisher accepts. */
export async function changeSeats(
  server: TestServer,
  subscriptionId: string,
  quantity: number,
): Promise<void> {
  const change = await operator(server, "PATCH", `/operator/v1/subscriptions/${subscriptionId}`, {
    quantity,
  });
  expect(change.status, JSON.stringify(change.body)).toBe(202);
  const token = await publisherToken(server, "contoso");
  const ack = await api(server, token)(
    "PATCH",
    `/saas/subscriptions/${subscriptionId}/operations/${change.body.operationId}`,
    { body: { status: "Success" } },
  );
  expect(ack.status, ack.text).toBe(200);
  await settleBilling(server);
}

/** Cancels as the buyer would; within 72 hours of the purchase the flat charges are refunded. */
export async function cancel(server: TestServer, subscriptionId: string): Promise<void> {
  const cancelled = await operator(server, "DELETE", `/operator/v1/subscriptions/${subscriptionId}`);
  expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
  await settleBilling(server);
}
