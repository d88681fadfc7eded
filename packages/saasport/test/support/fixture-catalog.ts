import type { Kysely } from "kysely";
import type { BillingTerm, MeteringDimension } from "../../src/catalog/model.js";
import type { Database } from "../../src/db/tables.js";
import { registerClientSecret } from "../../src/identity/secrets.js";

/** A small catalog for fulfillment tests, written straight into a fresh database. */
export const fixture = {
  contoso: {
    id: "contoso",
    tenantId: "aaaaaaaa-0000-4000-8000-000000000001",
    appId: "aaaaaaaa-0000-4000-8000-0000000000a1",
    secret: "contoso-test-secret",
  },
  fabrikam: {
    id: "fabrikam",
    tenantId: "bbbbbbbb-0000-4000-8000-000000000002",
    appId: "bbbbbbbb-0000-4000-8000-0000000000b2",
    secret: "fabrikam-test-secret",
  },
  buyerTenant: "cccccccc-0000-4000-8000-000000000003",
  strangerTenant: "dddddddd-0000-4000-8000-000000000004",
  resellerTenant: "eeeeeeee-0000-4000-8000-000000000005",
} as const;

const monthly: BillingTerm = { termUnit: "P1M", price: "49.99", currency: "USD", paymentOption: "upfront" };
const annualMonthly: BillingTerm = {
  termUnit: "P1Y",
  price: "499.00",
  currency: "USD",
  paymentOption: "monthly",
};

const apiCalls: MeteringDimension = {
  id: "api-calls",
  displayName: "API calls (thousands)",
  unitOfMeasure: "1000 calls",
  pricePerUnit: "0.25",
  currency: "USD",
  includedQuantity: { P1M: "100", P1Y: "1200" },
};

export async function seedFixtureCatalog(db: Kysely<Database>): Promise<void> {
  const now = new Date().toISOString();
  for (const publisher of [fixture.contoso, fixture.fabrikam]) {
    await db
      .insertInto("publishers")
      .values({
        id: publisher.id,
        display_name: publisher.id,
        tenant_id: publisher.tenantId,
        app_id: publisher.appId,
        landing_page_url: `https://${publisher.id}.example/landing`,
        webhook_url: `https://${publisher.id}.example/webhook`,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await registerClientSecret(db, { publisherId: publisher.id, secret: publisher.secret, now: new Date() });
  }
  const offers = [
    { publisher_id: "contoso", offer_id: "analytics", pricing_model: "flatRate" as const, is_preview: 0 },
    { publisher_id: "contoso", offer_id: "seats", pricing_model: "perUser" as const, is_preview: 0 },
    { publisher_id: "contoso", offer_id: "beta", pricing_model: "flatRate" as const, is_preview: 1 },
    { publisher_id: "fabrikam", offer_id: "backup", pricing_model: "flatRate" as const, is_preview: 0 },
  ];
  for (const offer of offers) {
    await db
      .insertInto("offers")
      .values({ ...offer, display_name: offer.offer_id, description: "", created_at: now, updated_at: now })
      .execute();
  }
  const plan = (
    publisherId: string,
    offerId: string,
    planId: string,
    options: {
      private?: string[];
      seats?: [number, number];
      trial?: boolean;
      stopSell?: boolean;
      terms?: BillingTerm[];
      dimensions?: MeteringDimension[];
    } = {},
  ) => ({
    publisher_id: publisherId,
    offer_id: offerId,
    plan_id: planId,
    display_name: `${planId} plan`,
    description: `The ${planId} plan`,
    is_private: options.private ? 1 : 0,
    audience: JSON.stringify(options.private ?? []),
    min_quantity: options.seats?.[0] ?? null,
    max_quantity: options.seats?.[1] ?? null,
    has_free_trial: options.trial ? 1 : 0,
    is_stop_sell: options.stopSell ? 1 : 0,
    markets: JSON.stringify(["US", "GB"]),
    billing_terms: JSON.stringify(options.terms ?? [monthly, annualMonthly]),
    metering_dimensions: JSON.stringify(options.dimensions ?? []),
    created_at: now,
    updated_at: now,
  });
  await db
    .insertInto("plans")
    .values([
      plan("contoso", "analytics", "basic", { dimensions: [apiCalls] }),
      plan("contoso", "analytics", "pro", { dimensions: [apiCalls] }),
      plan("contoso", "analytics", "trial", { trial: true, terms: [monthly] }),
      plan("contoso", "analytics", "vip", { private: [fixture.buyerTenant] }),
      plan("contoso", "analytics", "legacy", { stopSell: true }),
      plan("contoso", "seats", "team", { seats: [1, 10] }),
      plan("contoso", "seats", "enterprise", { seats: [5, 500] }),
      plan("contoso", "beta", "early"),
      plan("fabrikam", "backup", "standard"),
    ])
    .execute();
}
