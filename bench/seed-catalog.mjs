import { randomBytes } from "node:crypto";

/** The one publisher whose app the benchmark authenticates as. */
export const benchPublisher = {
  id: "bench",
  tenantId: "5aa5b0b7-0000-4000-8000-000000000001",
  appId: "5aa5b0b7-0000-4000-8000-0000000000a1",
};

/** A flat-rate offer and a per-user offer (seats 1 to 1,000), one monthly plan each. */
export const benchOffers = {
  flat: { offerId: "bench-flat", planId: "standard", pricingModel: "flatRate" },
  seats: {
    offerId: "bench-seats",
    planId: "team",
    pricingModel: "perUser",
    minQuantity: 1,
    maxQuantity: 1000,
  },
};

const monthly = { termUnit: "P1M", price: "49.99", currency: "USD", paymentOption: "upfront" };

function offerRow(offer, order, now) {
  return {
    publisher_id: benchPublisher.id,
    offer_id: offer.offerId,
    display_name: offer.offerId,
    description: "",
    pricing_model: offer.pricingModel,
    is_preview: 0,
    sort_order: order,
    created_at: now,
    updated_at: now,
  };
}

function planRow(offer, now) {
  return {
    publisher_id: benchPublisher.id,
    offer_id: offer.offerId,
    plan_id: offer.planId,
    display_name: `${offer.planId} plan`,
    description: `The ${offer.planId} plan`,
    is_private: 0,
    audience: "[]",
    min_quantity: offer.minQuantity ?? null,
    max_quantity: offer.maxQuantity ?? null,
    has_free_trial: 0,
    is_stop_sell: 0,
    markets: JSON.stringify(["US"]),
    billing_terms: JSON.stringify([monthly]),
    metering_dimensions: "[]",
    created_at: now,
    updated_at: now,
  };
}

/**
 * Writes the publisher, its offers and plans, and a client secret for its app straight into the
 * database; returns the secret, which is not stored anywhere else.
 */
export async function seedCatalog(saasport, db) {
  const now = new Date();
  const stamp = now.toISOString();
  await db
    .insertInto("publishers")
    .values({
      id: benchPublisher.id,
      display_name: "Benchmark publisher",
      tenant_id: benchPublisher.tenantId,
      app_id: benchPublisher.appId,
      landing_page_url: "https://bench.example/landing",
      webhook_url: "https://bench.example/webhook",
      created_at: stamp,
      updated_at: stamp,
    })
    .execute();
  const offers = [benchOffers.flat, benchOffers.seats];
  await db
    .insertInto("offers")
    .values(offers.map((offer, order) => offerRow(offer, order, stamp)))
    .execute();
  await db
    .insertInto("plans")
    .values(offers.map((offer) => planRow(offer, stamp)))
    .execute();
  const secret = `bench~${randomBytes(27).toString("base64url")}`;
  await saasport.registerClientSecret(db, { publisherId: benchPublisher.id, secret, now });
  return { secret };
}
