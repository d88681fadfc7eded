import type { Kysely } from "kysely";
import { expect } from "vitest";
import type { MeteringDimension } from "../../src/catalog/model.js";
import type { Database } from "../../src/db/tables.js";
import type { DatabaseKind } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken } from "../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";

/** Where the base clock of the metering tests stands: 12:30 UTC, so the last 24 hours span two days. */
export const businessNow = new Date("2026-05-02T12:30:00.000Z");
export const hourMs = 3_600_000;

const dimension = (id: string): MeteringDimension => ({
  id,
  displayName: id,
  unitOfMeasure: "unit",
  pricePerUnit: "0.10",
  currency: "USD",
  includedQuantity: { P1M: "0", P1Y: "0" },
});

/** The fixture catalog, with the `basic` plan metering two dimensions and fabrikam's plan one. */
export async function seedMeteringCatalog(db: Kysely<Database>): Promise<void> {
  await seedFixtureCatalog(db);
  await db
    .updateTable("plans")
    .set({ metering_dimensions: JSON.stringify([dimension("api-calls"), dimension("storage-gb")]) })
    .where("plan_id", "=", "basic")
    .execute();
  await db
    .updateTable("plans")
    .set({ metering_dimensions: JSON.stringify([dimension("api-calls")]) })
    .where("plan_id", "=", "standard")
    .execute();
}

export type Call = ReturnType<typeof api>;

export interface MeteringServer {
  server: TestServer;
  clock: ManualClock;
  contoso: Call;
  fabrikam: Call;
}

export async function startMeteringServer(
  kind: DatabaseKind,
  shareWith?: TestServer,
): Promise<MeteringServer> {
  const clock = new ManualClock(businessNow);
  const server = await startTestServer({
    database: kind,
    clock,
    ...(shareWith ? { shareDatabase: shareWith.database } : { seed: seedMeteringCatalog }),
  });
  return {
    server,
    clock,
    contoso: api(server, await publisherToken(server, "contoso")),
    fabrikam: api(server, await publisherToken(server, "fabrikam")),
  };
}

export interface BuyOptions {
  offerId?: string;
  planId?: string;
  quantity?: number;
  testClock?: string;
  activate?: boolean;
  name?: string;
}

/** Buys through the store API and (by default) activates with the owning publisher's token. */
export async function buy(env: MeteringServer, options: BuyOptions = {}): Promise<string> {
  const offerId = options.offerId ?? "analytics";
  const response = await env.server.fetch("/store/v1/purchases", {
    method: "POST",
    headers: { authorization: `Bearer ${env.server.operatorKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      offerId,
      planId: options.planId ?? "basic",
      name: options.name ?? "Metered purchase",
      ...(options.quantity === undefined ? {} : { quantity: options.quantity }),
      ...(options.testClock === undefined ? {} : { testClock: options.testClock }),
      beneficiary: { tenantId: fixture.buyerTenant, emailId: "ada@buyer.example" },
    }),
  });
  const body = (await response.json()) as { subscriptionId: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  if (options.activate !== false) {
    const owner = offerId === "backup" ? env.fabrikam : env.contoso;
    const activated = await owner("POST", `/saas/subscriptions/${body.subscriptionId}/activate`);
    expect(activated.status, activated.text).toBe(200);
  }
  return body.subscriptionId;
}

/** A usage event for `basic`/`api-calls`, `hoursAgo` before the base clock, with overrides. */
export function usageEvent(resourceId: string, hoursAgo = 1, overrides: Record<string, unknown> = {}) {
  return {
    resourceId,
    quantity: 1,
    dimension: "api-calls",
    effectiveStartTime: new Date(businessNow.getTime() - hoursAgo * hourMs).toISOString(),
    planId: "basic",
    ...overrides,
  };
}

export const at = (iso: string) => new Date(iso).toISOString();
