import type { Selectable } from "kysely";
import type { Plan, PricingModel, TermUnit } from "../catalog/model.js";
import type { FidelitySettings } from "../config/settings.js";
import type { OperationTable, SubscriptionTable } from "../db/tables.js";
import { isTrue } from "../db/time.js";

/** How fulfillment payloads write instants and ids; shared by API answers and (later) webhooks. */

/** `created`/`timeStamp`: 7-digit fraction + Z, like the live .NET service (`2026-05-02T10:11:12.1230000Z`). */
export function dotnetTimestamp(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (!match) return iso;
  return `${match[1]}.${(match[2] ?? "").padEnd(7, "0").slice(0, 7)}Z`;
}

/** Term dates are UTC midnights without a fraction: `2024-01-14T00:00:00Z`. */
export function termDate(iso: string): string {
  return `${iso.slice(0, 10)}T00:00:00Z`;
}

export function wireOfferId(offerId: string, isPreview: boolean): string {
  return isPreview ? `${offerId}-preview` : offerId;
}

export interface AadIdentifier {
  emailId: string;
  objectId: string;
  tenantId: string;
  puid: string;
}

const chargeDurationByPaymentOption: Record<string, string | undefined> = {
  monthly: "P1M",
  annual: "P1Y",
};

/** The columns the wire form of a subscription is made of: what GET, resolve and the list read. */
export const wireSubscriptionColumns = [
  "id",
  "publisher_id",
  "offer_id",
  "is_preview",
  "name",
  "status",
  "beneficiary",
  "purchaser",
  "plan_id",
  "quantity",
  "term_unit",
  "term_start",
  "term_end",
  "payment_option",
  "auto_renew",
  "is_test",
  "is_free_trial",
  "allowed_customer_operations",
  "sandbox_type",
  "created_at",
  "updated_at",
  "session_mode",
] as const satisfies readonly (keyof SubscriptionTable)[];

export type WireSubscriptionRow = Pick<
  Selectable<SubscriptionTable>,
  (typeof wireSubscriptionColumns)[number]
>;

export function wireSubscription(
  row: WireSubscriptionRow,
  pricingModel: PricingModel,
  fidelity: Pick<FidelitySettings, "lastModifiedStyle" | "flatRateQuantity">,
): Record<string, unknown> {
  const term: Record<string, unknown> = { termUnit: row.term_unit as TermUnit };
  if (row.term_start) term.startDate = termDate(row.term_start);
  if (row.term_end) term.endDate = termDate(row.term_end);
  const chargeDuration = chargeDurationByPaymentOption[row.payment_option];
  if (chargeDuration) term.chargeDuration = chargeDuration;
  const subscription: Record<string, unknown> = {
    id: row.id,
    publisherId: row.publisher_id,
    offerId: wireOfferId(row.offer_id, isTrue(row.is_preview)),
    name: row.name,
    saasSubscriptionStatus: row.status,
    beneficiary: JSON.parse(row.beneficiary) as AadIdentifier,
    purchaser: JSON.parse(row.purchaser) as AadIdentifier,
    planId: row.plan_id,
  };
  // Seats only exist on per-user plans; flat-rate subscriptions carry no quantity at all, or null.
  const quantity = wireQuantity(row, pricingModel, fidelity);
  if (quantity !== undefined) subscription.quantity = quantity;
  Object.assign(subscription, {
    term,
    autoRenew: isTrue(row.auto_renew),
    isTest: isTrue(row.is_test),
    isFreeTrial: isTrue(row.is_free_trial),
    allowedCustomerOperations: JSON.parse(row.allowed_customer_operations),
    sandboxType: row.sandbox_type,
    created: dotnetTimestamp(row.created_at),
    lastModified:
      fidelity.lastModifiedStyle === "dotnetDefault"
        ? "0001-01-01T00:00:00"
        : dotnetTimestamp(row.updated_at),
    sessionMode: row.session_mode,
  });
  return subscription;
}

/**
 * A subscription's `quantity`: its seats on a per-user plan; on a flat-rate plan none (undefined: the
 * field is left out) or null (`flatRateQuantity`, spec §10.7).
 */
export function wireQuantity(
  row: Pick<WireSubscriptionRow, "quantity">,
  pricingModel: PricingModel,
  fidelity: Pick<FidelitySettings, "flatRateQuantity">,
): number | null | undefined {
  if (pricingModel === "perUser" && row.quantity !== null) return row.quantity;
  return fidelity.flatRateQuantity === "null" ? null : undefined;
}

const json = JSON.stringify;

/**
 * `JSON.stringify(wireSubscription(...))`, written straight to text: for the answers that are nothing
 * but subscriptions (GET, resolve, list pages), where building the objects and stringifying them was a
 * large share of the work. The JSON columns (`beneficiary`, `purchaser`, `allowed_customer_operations`)
 * go in as stored: Saasport writes them with `JSON.stringify`, so they are already in the form
 * stringifying them again would give. A test holds the two functions to the same text.
 */
export function wireSubscriptionJson(
  row: WireSubscriptionRow,
  pricingModel: PricingModel,
  fidelity: Pick<FidelitySettings, "lastModifiedStyle" | "flatRateQuantity">,
): string {
  let term = `{"termUnit":${json(row.term_unit)}`;
  if (row.term_start) term += `,"startDate":${json(termDate(row.term_start))}`;
  if (row.term_end) term += `,"endDate":${json(termDate(row.term_end))}`;
  const chargeDuration = chargeDurationByPaymentOption[row.payment_option];
  if (chargeDuration) term += `,"chargeDuration":${json(chargeDuration)}`;
  term += "}";
  const seats = wireQuantity(row, pricingModel, fidelity);
  const quantity = seats === undefined ? "" : `,"quantity":${json(seats)}`;
  const lastModified =
    fidelity.lastModifiedStyle === "dotnetDefault" ? "0001-01-01T00:00:00" : dotnetTimestamp(row.updated_at);
  return (
    `{"id":${json(row.id)},"publisherId":${json(row.publisher_id)},` +
    `"offerId":${json(wireOfferId(row.offer_id, isTrue(row.is_preview)))},"name":${json(row.name)},` +
    `"saasSubscriptionStatus":${json(row.status)},"beneficiary":${row.beneficiary},` +
    `"purchaser":${row.purchaser},"planId":${json(row.plan_id)}${quantity},"term":${term},` +
    `"autoRenew":${isTrue(row.auto_renew)},"isTest":${isTrue(row.is_test)},` +
    `"isFreeTrial":${isTrue(row.is_free_trial)},` +
    `"allowedCustomerOperations":${row.allowed_customer_operations},` +
    `"sandboxType":${json(row.sandbox_type)},"created":${json(dotnetTimestamp(row.created_at))},` +
    `"lastModified":${json(lastModified)},"sessionMode":${json(row.session_mode)}}`
  );
}

/** The content type Fastify gives the objects it stringifies, for answers sent as JSON text. */
export const jsonContentType = "application/json; charset=utf-8";

/**
 * An operation as O1/O2 answer it. With `fields: "spec"` only the fields of the official file:
 * `operationRequestSource` (seen live and in webhooks) and `errorStatusCode`/`errorMessage` (docs) are
 * left out.
 */
export function wireOperation(
  operation: Selectable<OperationTable>,
  subscription: Pick<Selectable<SubscriptionTable>, "offer_id" | "is_preview">,
  pricingModel: PricingModel,
  fields: FidelitySettings["operationFields"] = "live",
): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: operation.id,
    activityId: operation.activity_id,
    subscriptionId: operation.subscription_id,
    offerId: wireOfferId(subscription.offer_id, isTrue(subscription.is_preview)),
    publisherId: operation.publisher_id,
    planId: operation.plan_id,
  };
  if (pricingModel === "perUser" && operation.quantity !== null) wire.quantity = operation.quantity;
  Object.assign(wire, {
    action: operation.action,
    timeStamp: dotnetTimestamp(operation.created_at),
    status: operation.status,
  });
  if (fields === "spec") return wire;
  wire.operationRequestSource = operation.source;
  if (operation.error_status_code !== null) wire.errorStatusCode = operation.error_status_code;
  if (operation.error_message !== null) wire.errorMessage = operation.error_message;
  return wire;
}

const termDescriptions: Record<TermUnit, string> = {
  P1M: "1 Month Subscription",
  P1Y: "1 Year Subscription",
  P2Y: "2 Years Subscription",
  P3Y: "3 Years Subscription",
  P4Y: "4 Years Subscription",
  P5Y: "5 Years Subscription",
};

/** A decimal string as a JSON number for the wire (the stored value stays exact). */
function priceNumber(decimal: string): number {
  return Number(decimal);
}

/**
 * A plan on the wire. `privateOfferIds` are the accepted private offers that make the plan available to
 * this subscription: such a plan is private, and `sourceOffers` names them in the configured shape.
 */
export function wirePlan(
  plan: Plan,
  pricingModel: PricingModel,
  market: string,
  fidelity: Pick<FidelitySettings, "sourceOffersShape">,
  privateOfferIds: readonly string[] = [],
): Record<string, unknown> {
  const perUser = pricingModel === "perUser";
  const wire: Record<string, unknown> = {
    planId: plan.planId,
    displayName: plan.displayName,
    isPrivate: plan.isPrivate || privateOfferIds.length > 0,
    description: plan.description,
  };
  if (perUser) {
    wire.minQuantity = plan.minQuantity ?? 1;
    wire.maxQuantity = plan.maxQuantity ?? 1_000_000;
  }
  Object.assign(wire, {
    hasFreeTrials: plan.hasFreeTrial,
    isPricePerSeat: perUser,
    isStopSell: plan.isStopSell,
    market,
    planComponents: {
      recurrentBillingTerms: plan.billingTerms.map((term) => {
        const included = plan.meteringDimensions.flatMap((dimension) => {
          const units = dimension.includedQuantity[term.termUnit];
          return units === undefined ? [] : [{ dimensionId: dimension.id, units }];
        });
        return {
          currency: term.currency,
          price: priceNumber(term.price),
          termUnit: term.termUnit,
          termDescription: termDescriptions[term.termUnit],
          ...(included.length > 0 ? { meteredQuantityIncluded: included } : {}),
        };
      }),
      meteringDimensions: plan.meteringDimensions.map((dimension) => ({
        id: dimension.id,
        currency: dimension.currency,
        pricePerUnit: priceNumber(dimension.pricePerUnit),
        unitOfMeasure: dimension.unitOfMeasure,
        displayName: dimension.displayName,
      })),
    },
  });
  if (fidelity.sourceOffersShape === "empty") wire.sourceOffers = [];
  if (fidelity.sourceOffersShape === "objects")
    wire.sourceOffers = privateOfferIds.map((externalId) => ({ externalId }));
  return wire;
}
