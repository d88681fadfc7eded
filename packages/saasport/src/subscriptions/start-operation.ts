import type { FastifyReply, FastifyRequest } from "fastify";
import type { Transaction } from "kysely";
import type { Database, OperationAction } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { timeOrderedId } from "../db/time-ordered-id.js";
import { apiVersionOf } from "../http/api-version.js";
import { ApiError } from "../http/errors.js";
import type { FulfillmentDeps } from "./deps.js";
import { isUniqueViolation, type SubscriptionRow } from "./repository.js";

export function lockedError(deps: FulfillmentDeps): ApiError {
  return new ApiError("SubscriptionLocked", undefined, {
    status: deps.settings.fidelity.lockedSubscriptionStatus,
    target: "subscriptionId",
  });
}

/**
 * Records a publisher-initiated operation (NotStarted) in the caller's transaction, which must run in
 * `withOperationLock`. The lock rule (one NotStarted/InProgress operation per subscription) is the
 * unique index on `(subscription_id, pending)`: the insert is the transaction's last statement, and its
 * violation becomes the locked error, with no read beforehand to ask.
 */
export async function insertPartnerOperation(
  deps: FulfillmentDeps,
  trx: Transaction<Database>,
  subscription: SubscriptionRow,
  change: { action: OperationAction; planId: string; quantity: number | null },
): Promise<string> {
  const id = timeOrderedId();
  const now = toStored(deps.clocks.now(subscription.test_clock));
  await deps.subscriptions.insertOperation(trx, {
    id,
    subscription_id: subscription.id,
    publisher_id: subscription.publisher_id,
    action: change.action,
    status: "NotStarted",
    source: "Partner",
    plan_id: change.planId,
    quantity: change.quantity,
    activity_id: id,
    error_status_code: null,
    error_message: null,
    due_at: toStored(deps.clock.now()),
    created_at: now,
    updated_at: now,
    pending: 1,
  });
  return id;
}

/** Runs the transaction, translating a lost race on the lock index into the locked error. */
export async function withOperationLock<T>(
  deps: FulfillmentDeps,
  work: (trx: Transaction<Database>) => Promise<T>,
) {
  try {
    return await deps.subscriptions.transaction(work);
  } catch (error) {
    if (isUniqueViolation(error)) throw lockedError(deps);
    throw error;
  }
}

/**
 * 202 Accepted with `Operation-Location` (absolute, `/api/saas/subscriptions/{sid}/operations/{opid}`,
 * which the official .NET client parses by segment), `Operation-Id` and `Retry-After: 10`. When the
 * client sent no request ids, both id headers carry the operation id, as seen live.
 */
export function acceptedOperation(
  deps: FulfillmentDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  subscriptionId: string,
  operationId: string,
): FastifyReply {
  if (!request.headers["x-ms-requestid"] && !request.headers["x-ms-correlationid"]) {
    reply.header("x-ms-requestid", operationId);
    reply.header("x-ms-correlationid", operationId);
  }
  deps.processor.kick();
  return reply
    .code(202)
    .header(
      "operation-location",
      `${deps.baseUrl()}/api/saas/subscriptions/${subscriptionId}/operations/${operationId}?api-version=${apiVersionOf(request)}`,
    )
    .header("operation-id", operationId)
    .header("retry-after", "10")
    .send();
}
