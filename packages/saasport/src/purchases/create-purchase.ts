import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { CatalogReader } from "../catalog/repository.js";
import type { Clock } from "../clock/clock.js";
import type { ClockService } from "../clock/clock-service.js";
import type { Settings } from "../config/settings.js";
import { inGroupedTransaction } from "../db/group-commit.js";
import type { Database } from "../db/tables.js";
import { bool, toStored } from "../db/time.js";
import type { Signals } from "../events/signals.js";
import { ApiError, badArgument } from "../http/errors.js";
import { createPrivateOfferRepository } from "../private-offers/repository.js";
import { coveringPrivateOffer, isoDay } from "../private-offers/rules.js";
import type { AadIdentifier } from "../subscriptions/wire-format.js";
import { generateLandingToken, landingPageUrlWithToken, storeLandingToken } from "./landing-tokens.js";
import { decidePurchase } from "./purchase-rules.js";
import { recordPurchase } from "./record-purchase.js";

export interface IdentityInput {
  tenantId: string;
  objectId?: string | undefined;
  emailId?: string | undefined;
}

export interface PurchaseInput {
  offerId: string;
  publisherId?: string | undefined;
  planId: string;
  quantity?: number | undefined;
  termUnit?: string | undefined;
  paymentOption?: string | undefined;
  market?: string | undefined;
  name?: string | undefined;
  channel?: "direct" | "field" | undefined;
  beneficiary: IdentityInput;
  purchaser?: IdentityInput | undefined;
  /** The test clock the subscription runs on (created beforehand at /operator/v1/clocks). */
  testClock?: string | undefined;
}

export interface PurchaseResult {
  subscriptionId: string;
  token: string;
  landingPageUrl: string;
}

export interface PurchaseDeps {
  db: Kysely<Database>;
  catalog: CatalogReader;
  /** Real time, for when events are recorded. */
  clock: Clock;
  /** Business time: the purchase date, the refund window and the landing token's expiry. */
  clocks: ClockService;
  settings: Pick<Settings, "landingTokenTtlSeconds" | "lifecycle" | "fidelity">;
  signals: Signals;
}

function identity(input: IdentityInput): AadIdentifier {
  const tenantId = input.tenantId.toLowerCase();
  return {
    emailId: input.emailId ?? `buyer@${tenantId.slice(0, 8)}.example.com`,
    objectId: (input.objectId ?? randomUUID()).toLowerCase(),
    tenantId,
    puid: randomBytes(8).toString("hex").toUpperCase(),
  };
}

/**
 * A purchase: the subscription starts PendingFulfillmentStart and a landing token is issued, both in
 * one transaction. A purchaser from another tenant makes it a reseller purchase, which leaves the
 * beneficiary only `Read` (as CSP purchases are).
 */
export async function createPurchase(deps: PurchaseDeps, input: PurchaseInput): Promise<PurchaseResult> {
  const offer = await findOffer(deps.catalog, input.offerId, input.publisherId);
  const catalogPlan = await deps.catalog.getPlan(offer.publisherId, offer.offerId, input.planId);
  const testClock = input.testClock ?? "";
  const privateOffer = await privateOfferFor(deps, input, offer, testClock);
  // A private offer makes its plans available to the tenant it names, private plans included.
  const plan =
    catalogPlan && privateOffer
      ? { ...catalogPlan, audience: [...catalogPlan.audience, input.beneficiary.tenantId] }
      : catalogPlan;
  const decision = decidePurchase(offer, plan, { ...input, beneficiaryTenantId: input.beneficiary.tenantId });
  if (!decision.ok) {
    if (decision.status === 404)
      throw new ApiError("NotFound", decision.message, { target: decision.target });
    throw badArgument(decision.target, decision.message);
  }
  const publisher = await deps.catalog.getPublisher(offer.publisherId);
  if (!publisher) throw new ApiError("UnexpectedError", `Publisher ${offer.publisherId} is missing.`);
  const beneficiary = identity(input.beneficiary);
  const purchaser = input.purchaser ? identity(input.purchaser) : beneficiary;
  const reseller = purchaser.tenantId !== beneficiary.tenantId;
  if (testClock !== "") {
    await deps.clocks.refresh();
    if (!deps.clocks.exists(testClock)) {
      throw badArgument(
        "testClock",
        `There is no test clock ${testClock}; create it at POST /operator/v1/clocks.`,
      );
    }
  }
  const now = deps.clocks.now(testClock);
  const subscriptionId = randomUUID();
  const token = generateLandingToken();
  const autoActivation = Boolean(plan?.autoActivation);
  await inGroupedTransaction(deps.db, async (trx) => {
    const hadSubscription = await trx
      .selectFrom("subscriptions")
      .select("id")
      .where("publisher_id", "=", offer.publisherId)
      .where("offer_id", "=", offer.offerId)
      .where("beneficiary_tenant_id", "=", beneficiary.tenantId)
      .limit(1)
      .executeTakeFirst();
    await trx
      .insertInto("subscriptions")
      .values({
        id: subscriptionId,
        publisher_id: offer.publisherId,
        offer_id: offer.offerId,
        plan_id: input.planId,
        name: input.name ?? `${offer.displayName} subscription`,
        status: "PendingFulfillmentStart",
        quantity: decision.terms.quantity,
        term_unit: decision.terms.term.termUnit,
        payment_option: decision.terms.term.paymentOption,
        term_start: null,
        term_end: null,
        auto_renew: 1,
        is_test: 0,
        // One trial per customer and offer: a tenant that already had this offer gets none.
        is_free_trial: bool(Boolean(plan?.hasFreeTrial) && !hadSubscription),
        is_preview: bool(offer.isPreview),
        allowed_customer_operations: JSON.stringify(reseller ? ["Read"] : ["Delete", "Read", "Update"]),
        sandbox_type: "None",
        session_mode: "None",
        channel: reseller ? "reseller" : (input.channel ?? "direct"),
        market: decision.terms.market,
        beneficiary: JSON.stringify(beneficiary),
        purchaser: JSON.stringify(purchaser),
        beneficiary_tenant_id: beneficiary.tenantId,
        purchaser_tenant_id: purchaser.tenantId,
        created_at: toStored(now),
        updated_at: toStored(now),
        activated_at: null,
        unsubscribed_at: null,
        test_clock: testClock,
        refund_window_ends_at: toStored(
          new Date(now.getTime() + deps.settings.lifecycle.refundWindowHours * 3_600_000),
        ),
        private_offer_id: privateOffer?.id ?? null,
      })
      .execute();
    await storeLandingToken(trx, {
      token,
      subscriptionId,
      now,
      ttlSeconds: deps.settings.landingTokenTtlSeconds,
    });
    await recordPurchase(trx, deps, subscriptionId, offer.pricingModel, { autoActivation, at: now });
  });
  deps.signals.eventsRecorded();
  if (autoActivation) deps.signals.deliveriesQueued();
  return { subscriptionId, token, landingPageUrl: landingPageUrlWithToken(publisher.landingPageUrl, token) };
}

/**
 * The accepted private offer that covers this purchase (read before the transaction: on SQLite a read on
 * the root connection inside it would wait forever). The ledger prices the subscription's terms with it.
 */
async function privateOfferFor(
  deps: PurchaseDeps,
  input: PurchaseInput,
  offer: { publisherId: string; offerId: string },
  testClock: string,
) {
  const beneficiaryTenantId = input.beneficiary.tenantId.toLowerCase();
  const purchaserTenantId = (input.purchaser?.tenantId ?? beneficiaryTenantId).toLowerCase();
  const offers = await createPrivateOfferRepository(deps.db).listByCustomer(purchaserTenantId);
  return coveringPrivateOffer(
    offers,
    { beneficiaryTenantId, purchaserTenantId },
    { publisherId: offer.publisherId, offerId: offer.offerId, planId: input.planId },
    isoDay(deps.clocks.now(testClock)),
  );
}

async function findOffer(catalog: CatalogReader, offerId: string, publisherId: string | undefined) {
  const offers = (await catalog.findOffersById(offerId)).filter(
    (offer) => publisherId === undefined || offer.publisherId === publisherId,
  );
  const [offer] = offers;
  if (!offer) throw new ApiError("NotFound", `Offer ${offerId} was not found.`, { target: "offerId" });
  if (offers.length > 1) {
    throw badArgument(
      "publisherId",
      `Several publishers have an offer ${offerId}; say which with publisherId.`,
    );
  }
  return offer;
}
