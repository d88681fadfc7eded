import { createHash, randomBytes, randomUUID } from "node:crypto";
import { counter } from "./progress.mjs";
import { benchOffers, benchPublisher } from "./seed-catalog.mjs";

/** What a seeded subscription looks like; the benchmark uses each shape for a different endpoint. */
export const subscriptionShapes = {
  flatSubscribed: { offer: benchOffers.flat, status: "Subscribed", quantity: null },
  seatsSubscribed: { offer: benchOffers.seats, status: "Subscribed", quantity: 5 },
  flatPending: { offer: benchOffers.flat, status: "PendingFulfillmentStart", quantity: null },
};

const rowsPerInsert = 500;
const insertsPerTransaction = 10;
const dayMs = 86_400_000;

function identity(index) {
  const tenantId = randomUUID();
  return JSON.stringify({
    emailId: `buyer${index}@customer.example`,
    objectId: randomUUID(),
    tenantId,
    puid: randomBytes(8).toString("hex").toUpperCase(),
  });
}

function subscriptionRow(shape, index, createdAt) {
  const created = createdAt.toISOString();
  const subscribed = shape.status === "Subscribed";
  const beneficiary = identity(index);
  const tenantId = JSON.parse(beneficiary).tenantId;
  return {
    id: randomUUID(),
    publisher_id: benchPublisher.id,
    offer_id: shape.offer.offerId,
    plan_id: shape.offer.planId,
    name: `Customer ${index}`,
    status: shape.status,
    quantity: shape.quantity,
    term_unit: "P1M",
    payment_option: "upfront",
    term_start: subscribed ? `${created.slice(0, 10)}T00:00:00.000Z` : null,
    term_end: subscribed ? new Date(createdAt.getTime() + 29 * dayMs).toISOString() : null,
    auto_renew: 1,
    is_test: 0,
    is_free_trial: 0,
    is_preview: 0,
    allowed_customer_operations: JSON.stringify(["Delete", "Read", "Update"]),
    sandbox_type: "None",
    session_mode: "None",
    channel: "direct",
    market: "US",
    beneficiary,
    purchaser: beneficiary,
    beneficiary_tenant_id: tenantId,
    purchaser_tenant_id: tenantId,
    created_at: created,
    updated_at: created,
    activated_at: subscribed ? created : null,
    unsubscribed_at: null,
  };
}

/** A landing-page token shaped like Saasport's own (48 random bytes, base64); only its SHA-256 is stored. */
function tokenRow(subscriptionId, now) {
  const token = randomBytes(48).toString("base64");
  const row = {
    token_hash: createHash("sha256").update(token, "utf8").digest("hex"),
    subscription_id: subscriptionId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + dayMs).toISOString(),
  };
  return { token, row };
}

async function insertBatch(trx, subscriptions, tokens) {
  await trx.insertInto("subscriptions").values(subscriptions).execute();
  if (tokens.length > 0) await trx.insertInto("purchase_tokens").values(tokens).execute();
}

/**
 * Inserts `count` subscriptions of the given shapes (taken in turn), `rowsPerInsert` to a statement and
 * several statements to a transaction, and landing tokens for the first `tokenCount` of them. Creation
 * times are one millisecond apart, starting a day ago, so listing order is the insertion order.
 */
export async function seedSubscriptions(db, { label, count, shapes, tokenCount = 0 }) {
  const report = counter(label, count);
  const now = new Date();
  const firstCreated = now.getTime() - dayMs;
  const ids = [];
  const tokens = [];
  let done = 0;
  while (done < count) {
    const transactionEnd = Math.min(count, done + rowsPerInsert * insertsPerTransaction);
    await db.transaction().execute(async (trx) => {
      while (done < transactionEnd) {
        const batchEnd = Math.min(transactionEnd, done + rowsPerInsert);
        const subscriptions = [];
        const tokenRows = [];
        for (let index = done; index < batchEnd; index++) {
          const row = subscriptionRow(shapes[index % shapes.length], index, new Date(firstCreated + index));
          subscriptions.push(row);
          ids.push(row.id);
          if (index < tokenCount) {
            const issued = tokenRow(row.id, now);
            tokens.push(issued.token);
            tokenRows.push(issued.row);
          }
        }
        await insertBatch(trx, subscriptions, tokenRows);
        done = batchEnd;
      }
    });
    report(done);
  }
  return { ids, tokens };
}
