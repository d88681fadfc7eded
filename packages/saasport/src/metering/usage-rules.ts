import type { MeteringDimension, PricingModel } from "../catalog/model.js";
import type { SubscriptionTable } from "../db/tables.js";
import { checkWindow } from "./effective-time.js";
import { resourceUriOf, sameResourceUri } from "./resource-uri.js";
import type { UsageEventInput } from "./usage-event-input.js";
import type { Rejection } from "./usage-status.js";

/** What the rules need to know about the subscription an event names. */
export type MeteredSubscription = Pick<
  SubscriptionTable,
  "id" | "name" | "publisher_id" | "plan_id" | "status" | "unsubscribed_at" | "activated_at"
>;

export interface UsageFacts {
  event: UsageEventInput;
  /** The subscription the event names, when it exists. */
  subscription: MeteredSubscription | undefined;
  /** The publisher making the call. */
  callerPublisherId: string;
  /** The subscription's offer pricing model and its plan's dimensions (undefined when unknown). */
  pricingModel: PricingModel | undefined;
  dimensions: readonly Pick<MeteringDimension, "id">[] | undefined;
  /** Now on the subscription's business clock. */
  now: Date;
}

/**
 * Whether a well-formed usage event may be accepted, in the order the checks are made: the resource
 * exists and belongs to the caller; the time is within the last 24 hours and not ahead; the
 * subscription is Subscribed (or the usage predates its cancellation); the plan is the purchased one;
 * the dimension is one of the plan's (flat-rate offers only). Duplicates are decided by the database.
 */
export function decideUsage(facts: UsageFacts): Rejection | undefined {
  const { event, subscription } = facts;
  const identifierTarget = event.resourceUri === undefined ? "resourceId" : "resourceUri";
  if (
    !subscription ||
    (event.resourceUri !== undefined && !sameResourceUri(event.resourceUri, resourceUriOf(subscription)))
  ) {
    return {
      status: "ResourceNotFound",
      target: identifierTarget,
      message: "The usage resource was not found: send the id of a SaaS subscription.",
    };
  }
  if (subscription.publisher_id !== facts.callerPublisherId) {
    return {
      status: "ResourceNotAuthorized",
      target: identifierTarget,
      message: "Client is not authorized for this usage resource.",
    };
  }
  const window = checkWindow(event.effectiveStartTime, facts.now);
  if (window === "expired") {
    return {
      status: "Expired",
      target: "effectiveStartTime",
      message: `The effectiveStartTime is more than 24 hours in the past (it is now ${facts.now.toISOString()} for this subscription).`,
    };
  }
  if (window === "future") {
    return {
      status: "BadArgument",
      target: "effectiveStartTime",
      message: `The effectiveStartTime is in the future (it is now ${facts.now.toISOString()} for this subscription).`,
    };
  }
  if (!isActiveAt(subscription, event.effectiveStartTime)) {
    return {
      status: "ResourceNotActive",
      target: identifierTarget,
      message: `The SaaS subscription is ${subscription.status}; usage is accepted only while it is Subscribed, or for time before its cancellation.`,
    };
  }
  if (event.planId !== subscription.plan_id) {
    return {
      status: "BadArgument",
      target: "planId",
      message: `The planId ${event.planId} is not the plan of the SaaS subscription (${subscription.plan_id}).`,
    };
  }
  if (facts.pricingModel !== "flatRate") {
    return {
      status: "InvalidDimension",
      target: "dimension",
      message: "The plan has no metering dimensions: only flat-rate plans report usage.",
    };
  }
  if (!facts.dimensions?.some((dimension) => dimension.id === event.dimension)) {
    return {
      status: "InvalidDimension",
      target: "dimension",
      message: `The dimension ${event.dimension} is not a metering dimension of plan ${subscription.plan_id}.`,
    };
  }
  return undefined;
}

/**
 * Subscribed, or activated once and cancelled after the moment the usage happened (usage for time
 * before a cancellation may still come in within the 24 hours).
 */
function isActiveAt(subscription: MeteredSubscription, effective: Date): boolean {
  if (subscription.status === "Subscribed") return true;
  if (subscription.status !== "Unsubscribed" || subscription.activated_at === null) return false;
  if (subscription.unsubscribed_at === null) return false;
  return effective.getTime() < new Date(subscription.unsubscribed_at).getTime();
}
