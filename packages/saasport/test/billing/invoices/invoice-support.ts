import { expect } from "vitest";
import { operator } from "../../clock/clock-support.js";
import { api, publisherToken } from "../../support/marketplace-client.js";
import type { TestServer } from "../../support/server.js";

/** Business time of the base ManualClock at start: test clocks created at once start here too. */
export const start = new Date("2025-01-15T10:00:00.000Z");

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field
  json: any;
}

/** Calls the server with a bearer (a buyer token or the operator key); parses JSON answers. */
export async function call(server: TestServer, bearer: string | undefined, method: string, path: string) {
  const response = await server.fetch(path, {
    method,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });
  const text = await response.text();
  const json = response.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, text, json } as Answer;
}

export async function buyerToken(server: TestServer, tenantId: string): Promise<string> {
  const issued = await operator(server, "POST", "/operator/v1/buyer-tokens", { tenantId });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return issued.body.access_token as string;
}

/** Buys on the global clock with the operator key and activates through /api (buyAndActivate needs a test clock). */
export async function buyOnGlobalClock(
  server: TestServer,
  options: { offerId: string; planId: string; quantity?: number; tenantId: string },
): Promise<string> {
  const bought = await operator(server, "POST", "/store/v1/purchases", {
    offerId: options.offerId,
    planId: options.planId,
    termUnit: "P1M",
    ...(options.quantity === undefined ? {} : { quantity: options.quantity }),
    beneficiary: { tenantId: options.tenantId, emailId: "grace@buyer.example" },
  });
  expect(bought.status, JSON.stringify(bought.body)).toBe(201);
  const id = bought.body.subscriptionId as string;
  const activated = await api(server, await publisherToken(server, "contoso"))(
    "POST",
    `/saas/subscriptions/${id}/activate`,
    { body: {} },
  );
  expect(activated.status, activated.text).toBe(200);
  return id;
}

/** The invoices of a billing account on a clock, oldest month first, straight from the operator API. */
export async function invoicesOf(server: TestServer, account: string, testClock: string) {
  const listed = await call(
    server,
    server.operatorKey,
    "GET",
    `/operator/v1/invoices?billingAccount=${account}&testClock=${testClock}`,
  );
  expect(listed.status, listed.text).toBe(200);
  return [...listed.json.invoices].reverse() as Array<{ id: string; month: string; status: string }>;
}

/**
 * Brings every clock's ledger up to date, after any background run already under way. Tests call it after
 * their purchases and before moving a clock, so every purchase's first line is in the ledger before its
 * month can be invoiced, whatever a background run racing the clock move does (exact totals stay exact).
 */
export async function settleLedger(server: TestServer): Promise<void> {
  const ran = await call(server, server.operatorKey, "POST", "/operator/v1/billing/run");
  expect(ran.status, ran.text).toBe(200);
}
