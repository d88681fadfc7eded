import type { OperationAction, OperationStatus, SubscriptionTable } from "../db/tables.js";

/**
 * What each fulfillment call may do in each subscription state (spec §6.3), as pure decisions.
 * A refusal names the error-table code and a message; routes turn it into an ApiError.
 */
export type SubscriptionStatus = SubscriptionTable["status"];
export type CustomerOperation = "Read" | "Update" | "Delete";

export type Refusal = { code: "BadRequest" | "EntityNotFound" | "Conflict"; message: string };
export type Decision = { ok: true } | ({ ok: false } & Refusal);

const allowed: Decision = { ok: true };
const refuse = (code: Refusal["code"], message: string): Decision => ({ ok: false, code, message });

/** F2: only a pending subscription can be activated; an unsubscribed one is gone (404). */
export function decideActivate(status: SubscriptionStatus): Decision {
  switch (status) {
    case "PendingFulfillmentStart":
      return allowed;
    case "Unsubscribed":
      return refuse("EntityNotFound", "The subscription is unsubscribed and cannot be activated.");
    default:
      return refuse("BadRequest", `The subscription is already ${status} and cannot be activated again.`);
  }
}

/** F6: plan or seat changes need an active subscription whose customer operations include Update. */
export function decideChange(status: SubscriptionStatus, operations: readonly CustomerOperation[]): Decision {
  if (status !== "Subscribed") {
    return refuse(
      "BadRequest",
      `The subscription is ${status}; only Subscribed subscriptions can be changed.`,
    );
  }
  if (!operations.includes("Update")) {
    return refuse(
      "BadRequest",
      "Updates are not allowed for this subscription (allowedCustomerOperations lacks Update).",
    );
  }
  return allowed;
}

export interface CancelContext {
  status: SubscriptionStatus;
  operations: readonly CustomerOperation[];
  /** True when the 72-hour refund window since purchase has passed. */
  refundWindowPassed: boolean;
  /** True when the term is longer than one month. */
  multiMonthTerm: boolean;
  rejectMultiMonthAfterRefundWindow: boolean;
}

/** F7: cancellation is allowed in any non-terminal state, when Delete is allowed. */
export function decideCancel(context: CancelContext): Decision {
  if (context.status === "Unsubscribed") {
    return refuse("BadRequest", "The subscription is already Unsubscribed.");
  }
  if (!context.operations.includes("Delete")) {
    return refuse(
      "BadRequest",
      "Deletion is not allowed for this subscription (allowedCustomerOperations lacks Delete).",
    );
  }
  if (
    context.rejectMultiMonthAfterRefundWindow &&
    context.status !== "PendingFulfillmentStart" &&
    context.refundWindowPassed &&
    context.multiMonthTerm
  ) {
    return refuse(
      "BadRequest",
      "The refund window has passed and the term is longer than a month; the customer can only turn off auto-renew.",
    );
  }
  return allowed;
}

/** Actions whose operations wait for the publisher's acknowledgement (O3). */
export const acknowledgeableActions: readonly OperationAction[] = [
  "ChangePlan",
  "ChangeQuantity",
  "Reinstate",
];

export interface AckContext {
  action: OperationAction;
  status: OperationStatus;
  source: "Partner" | "Azure";
}

/**
 * O3: only marketplace-initiated ChangePlan/ChangeQuantity/Reinstate operations that are still
 * InProgress take an acknowledgement. A final operation answers 409; the rest 400.
 */
export function decideAcknowledge(
  context: AckContext,
): Decision | { ok: false; code: "PartnerOperation"; message: string } {
  if (context.status === "Succeeded" || context.status === "Failed" || context.status === "Conflict") {
    return refuse(
      "Conflict",
      `The operation is already ${context.status}; a newer update is already fulfilled.`,
    );
  }
  if (context.source === "Partner") {
    return {
      ok: false,
      code: "PartnerOperation",
      message: "The operation was requested by the publisher and needs no acknowledgement.",
    };
  }
  if (!acknowledgeableActions.includes(context.action)) {
    return refuse(
      "BadRequest",
      `${context.action} operations are notifications and take no acknowledgement.`,
    );
  }
  if (context.status !== "InProgress") {
    return refuse("BadRequest", "The operation has not started yet; acknowledge it once it is InProgress.");
  }
  return allowed;
}

/**
 * Billing events the marketplace reports on a subscription (the operator's routes, the billing worker),
 * named as in `/operator/v1/subscriptions/{id}/{event}`, with the states each applies to: a failed
 * payment suspends an active subscription, a recovered one reinstates a suspended one, and only an
 * active subscription can be renewed early. None applies to a cancelled (Unsubscribed) subscription.
 */
export const billingEventStatuses = {
  "payment-failed": ["Subscribed"],
  "payment-recovered": ["Suspended"],
  renew: ["Subscribed"],
} as const satisfies Record<string, readonly SubscriptionStatus[]>;

export type BillingEvent = keyof typeof billingEventStatuses;

/** The billing events that apply to a subscription in this state, in the order the console offers them. */
export function allowedBillingEvents(status: SubscriptionStatus): BillingEvent[] {
  return (Object.keys(billingEventStatuses) as BillingEvent[]).filter((event) =>
    (billingEventStatuses[event] as readonly SubscriptionStatus[]).includes(status),
  );
}
