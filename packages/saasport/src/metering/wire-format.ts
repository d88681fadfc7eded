import type { SentFields } from "./usage-event-input.js";
import type { UsageStatus } from "./usage-status.js";

/** An accepted usage event as the API answers it (and echoes it inside duplicates). */
export interface AcceptedUsage {
  id: string;
  subscriptionId: string;
  resourceUri: string;
  quantity: number;
  dimension: string;
  effectiveStartSent: string;
  planId: string;
  messageTime: string;
}

/** `UsageEventOkResponse`: the accepted event; status Duplicate when echoed inside a duplicate. */
export function usageEventOk(accepted: AcceptedUsage, status: "Accepted" | "Duplicate" = "Accepted") {
  return {
    usageEventId: accepted.id,
    status,
    messageTime: accepted.messageTime,
    resourceId: accepted.subscriptionId,
    resourceUri: accepted.resourceUri,
    quantity: accepted.quantity,
    dimension: accepted.dimension,
    effectiveStartTime: accepted.effectiveStartSent,
    planId: accepted.planId,
  };
}

export const duplicateMessage = "This usage event already exist.";

/** The 409 body of a duplicate (spec §3.8 #5), also the `error` of a Duplicate batch entry. */
export function duplicateBody(accepted: AcceptedUsage) {
  return {
    additionalInfo: { acceptedMessage: usageEventOk(accepted, "Duplicate") },
    message: duplicateMessage,
    code: "Conflict",
  };
}

export interface BatchFailure {
  status: Exclude<UsageStatus, "Accepted">;
  messageTime: string;
  sent: SentFields;
  error: { code: string; message: string; target?: string; additionalInfo?: unknown };
}

/**
 * A batch entry that was not accepted: no usageEventId, the fields as sent (only the identifier that
 * was sent, resourceId or resourceUri), and an `error` shaped like the 409 body.
 */
export function batchFailureEntry(failure: BatchFailure) {
  const { sent } = failure;
  return {
    status: failure.status,
    messageTime: failure.messageTime,
    ...(sent.resourceId === undefined ? {} : { resourceId: sent.resourceId }),
    ...(sent.resourceUri === undefined ? {} : { resourceUri: sent.resourceUri }),
    ...(sent.quantity === undefined ? {} : { quantity: sent.quantity }),
    ...(sent.dimension === undefined ? {} : { dimension: sent.dimension }),
    ...(sent.effectiveStartTime === undefined ? {} : { effectiveStartTime: sent.effectiveStartTime }),
    ...(sent.planId === undefined ? {} : { planId: sent.planId }),
    error: failure.error,
  };
}
