import type { Kysely } from "kysely";
import { expect } from "vitest";
import type { Database } from "../../src/db/tables.js";
import { operator } from "../clock/clock-support.js";
import { fixture } from "../support/fixture-catalog.js";
import { api, publisherToken } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";

export interface BuyOptions {
  offerId: string;
  planId: string;
  termUnit?: string;
  paymentOption?: string;
  quantity?: number;
  testClock: string;
  tenantId?: string;
  purchaserTenantId?: string;
}

/** Buys on a test clock with the operator key and activates through /api; returns the subscription id. */
export async function buyAndActivate(server: TestServer, options: BuyOptions): Promise<string> {
  const bought = await operator(server, "POST", "/store/v1/purchases", {
    offerId: options.offerId,
    planId: options.planId,
    ...(options.termUnit ? { termUnit: options.termUnit } : {}),
    ...(options.paymentOption ? { paymentOption: options.paymentOption } : {}),
    ...(options.quantity === undefined ? {} : { quantity: options.quantity }),
    testClock: options.testClock,
    beneficiary: { tenantId: options.tenantId ?? fixture.buyerTenant, emailId: "ada@buyer.example" },
    ...(options.purchaserTenantId ? { purchaser: { tenantId: options.purchaserTenantId } } : {}),
  });
  expect(bought.status, JSON.stringify(bought.body)).toBe(201);
  const id = bought.body.subscriptionId as string;
  const call = api(server, await publisherToken(server, "contoso"));
  const activated = await call("POST", `/saas/subscriptions/${id}/activate`, { body: {} });
  expect(activated.status, activated.text).toBe(200);
  return id;
}

export async function newTestClock(server: TestServer, name: string): Promise<void> {
  const created = await operator(server, "POST", "/operator/v1/clocks", { name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

export async function linesOf(db: Kysely<Database>, subscriptionId: string) {
  return db
    .selectFrom("ledger_lines")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("on_day")
    .orderBy("line_key")
    .execute();
}

export async function invoicesOf(db: Kysely<Database>, account: string, clock: string) {
  return db
    .selectFrom("invoices")
    .selectAll()
    .where("billing_account", "=", account)
    .where("clock", "=", clock)
    .orderBy("month")
    .execute();
}
