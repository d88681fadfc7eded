import type { Kysely } from "kysely";
import { afterAll, beforeAll, expect } from "vitest";
import type { BillingTerm, MeteringDimension } from "../../../src/catalog/model.js";
import type { Database } from "../../../src/db/tables.js";
import { operator } from "../../clock/clock-support.js";
import type { DatabaseKind } from "../../support/databases.js";
import { fixture, seedFixtureCatalog } from "../../support/fixture-catalog.js";
import { api, publisherToken } from "../../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";
import { invoicesOf } from "../ledger-support.js";

/** End-to-end helpers of the ledger tests: the worked examples' plans, and changes as buyers make them. */

const term = (
  termUnit: BillingTerm["termUnit"],
  price: string,
  paymentOption: BillingTerm["paymentOption"],
) => ({ termUnit, price, currency: "USD", paymentOption }) satisfies BillingTerm;

const apiCalls = (pricePerUnit: string, perMonth: string, perYear: string): MeteringDimension => ({
  id: "api-calls",
  displayName: "API calls",
  unitOfMeasure: "call",
  pricePerUnit,
  currency: "USD",
  includedQuantity: { P1M: perMonth, P1Y: perYear },
});

const storage: MeteringDimension = {
  id: "storage",
  displayName: "Storage",
  unitOfMeasure: "GB",
  pricePerUnit: "0.50",
  currency: "USD",
  includedQuantity: { P1M: "unlimited", P1Y: "unlimited" },
};

/**
 * The fixture catalog, its webhooks pointed at a closed loopback port, plus the plans of docs/billing.md:
 * - seats/desk: per user, 1 year at 10.00 per seat per month, or 12.00 a month;
 * - seats/desk-upfront: per user, 1 year at 120.00 per seat paid upfront, or 12.00 a month;
 * - seats/studio: per user, 20.00 per seat per month on a year, or 25.00 a month;
 * - analytics/metered: flat 49.00 a month (or 40.00 a month on a year) with api-calls at 0.01, 1,000
 *   included a month (12,000 a year), and unlimited storage;
 * - analytics/metered-pro: flat 99.00 a month (80.00 on a year), api-calls at 0.005, 5,000 a month.
 */
export async function seedLedgerCatalog(db: Kysely<Database>): Promise<void> {
  await seedFixtureCatalog(db);
  await db.updateTable("publishers").set({ webhook_url: "http://127.0.0.1:9/webhook" }).execute();
  const now = new Date().toISOString();
  const plan = (
    offerId: string,
    planId: string,
    terms: BillingTerm[],
    dimensions: MeteringDimension[],
    seats?: [number, number],
  ) => ({
    publisher_id: "contoso",
    offer_id: offerId,
    plan_id: planId,
    display_name: `${planId} plan`,
    description: `The ${planId} plan`,
    is_private: 0,
    audience: "[]",
    min_quantity: seats?.[0] ?? null,
    max_quantity: seats?.[1] ?? null,
    has_free_trial: 0,
    is_stop_sell: 0,
    markets: JSON.stringify(["US", "GB"]),
    billing_terms: JSON.stringify(terms),
    metering_dimensions: JSON.stringify(dimensions),
    created_at: now,
    updated_at: now,
  });
  await db
    .insertInto("plans")
    .values([
      plan("seats", "desk", [term("P1Y", "10.00", "monthly"), term("P1M", "12.00", "upfront")], [], [1, 500]),
      plan(
        "seats",
        "desk-upfront",
        [term("P1Y", "120.00", "upfront"), term("P1M", "12.00", "upfront")],
        [],
        [1, 500],
      ),
      plan(
        "seats",
        "studio",
        [term("P1Y", "20.00", "monthly"), term("P1M", "25.00", "upfront")],
        [],
        [1, 500],
      ),
      plan(
        "analytics",
        "metered",
        [term("P1M", "49.00", "upfront"), term("P1Y", "40.00", "monthly")],
        [apiCalls("0.01", "1000", "12000"), storage],
      ),
      plan(
        "analytics",
        "metered-pro",
        [term("P1M", "99.00", "upfront"), term("P1Y", "80.00", "monthly")],
        [apiCalls("0.005", "5000", "60000")],
      ),
    ])
    .execute();
}

/** Moves a test clock to an instant (forward only), firing what falls due on the way. */
export async function setClock(server: TestServer, testClock: string, now: string) {
  const moved = await operator(server, "PUT", "/operator/v1/clock", { now, testClock });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  return moved.body as { now: string };
}

/**
 * A plan or seat change the way a buyer (here the operator on the buyer's behalf) makes it in the store:
 * the marketplace asks the publisher, which acknowledges it with Success through the Operations API.
 */
export async function changeInStore(
  server: TestServer,
  subscriptionId: string,
  change: { quantity?: number; planId?: string },
) {
  const asked = await operator(server, "PATCH", `/operator/v1/subscriptions/${subscriptionId}`, change);
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  const call = api(server, await publisherToken(server, "contoso"));
  const acked = await call(
    "PATCH",
    `/saas/subscriptions/${subscriptionId}/operations/${asked.body.operationId}`,
    {
      body: { status: "Success" },
    },
  );
  expect(acked.status, acked.text).toBe(200);
}

export async function cancelInStore(server: TestServer, subscriptionId: string) {
  const cancelled = await operator(server, "DELETE", `/operator/v1/subscriptions/${subscriptionId}`);
  expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
}

/** Reports usage through the Metering API as the publisher (within the last 24 hours of the subscription's clock). */
export async function reportUsage(
  server: TestServer,
  subscriptionId: string,
  usage: { planId: string; dimension?: string; quantity: number; effectiveStartTime: string },
) {
  const call = api(server, await publisherToken(server, "contoso"));
  const sent = await call("POST", "/usageEvent", {
    body: {
      resourceId: subscriptionId,
      planId: usage.planId,
      dimension: usage.dimension ?? "api-calls",
      quantity: usage.quantity,
      effectiveStartTime: usage.effectiveStartTime,
    },
  });
  expect(sent.status, sent.text).toBe(200);
  return sent.json;
}

/** A publisher's private offer, accepted by the customer's buyer in the store; returns its id. */
export async function acceptedPrivateOffer(
  server: TestServer,
  offer: {
    offerId: string;
    customerTenantId: string;
    audience?: "customer" | "reseller";
    validFrom: string;
    validTo: string;
    acceptBy: string;
    plans: ({ planId: string; discountPercent: string } | { planId: string; absolutePrice: string })[];
  },
): Promise<string> {
  const token = await publisherToken(server, "contoso");
  const created = await server.fetch("/partner/v1/private-offers", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `deal for ${offer.customerTenantId.slice(0, 8)}`, ...offer }),
  });
  const body = (await created.json()) as { id: string };
  expect(created.status, JSON.stringify(body)).toBe(201);
  const buyerToken = await operator(server, "POST", "/operator/v1/buyer-tokens", {
    tenantId: offer.customerTenantId,
  });
  expect(buyerToken.status).toBe(201);
  const accepted = await server.fetch(`/store/v1/private-offers/${body.id}/accept`, {
    method: "POST",
    headers: { authorization: `Bearer ${buyerToken.body.access_token}` },
  });
  expect(accepted.status, await accepted.text()).toBe(200);
  return body.id;
}

export type StoredLine = Awaited<ReturnType<typeof storedLines>>[number];

/** A subscription's stored lines in date order, as [kind, day, amount] and the full rows. */
export async function storedLines(db: Kysely<Database>, subscriptionId: string) {
  return db
    .selectFrom("ledger_lines")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("on_day")
    .orderBy("kind")
    .orderBy("line_key")
    .execute();
}

export const brief = (line: { kind: string; on_day: string; amount: string }) => [
  line.kind,
  line.on_day,
  line.amount,
];

export const tenants = {
  buyer: fixture.buyerTenant,
  reseller: fixture.resellerTenant,
  stranger: fixture.strangerTenant,
};

/**
 * A server on the ledger catalog for one `describe` block, started before its tests and stopped after
 * them, with shortcuts to its database and a brief form of its invoices ([month, total, line count]).
 */
export function ledgerServerFor(database: DatabaseKind) {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer({
      database,
      clock: new ManualClock(new Date("2024-12-20T10:00:00.000Z")),
      seed: seedLedgerCatalog,
    });
  });
  afterAll(async () => server?.stop());
  const current = (): TestServer => {
    if (!server) throw new Error("the ledger server has not started");
    return server;
  };
  const db = () => current().handle.database.db;
  return {
    server: current,
    db,
    invoices: async (account: string, clock: string) =>
      (await invoicesOf(db(), account, clock)).map((invoice) => [
        invoice.month,
        invoice.total,
        invoice.line_count,
      ]),
  };
}
