import type { FastifyReply, FastifyRequest } from "fastify";
import type { Insertable } from "kysely";
import type { OperationAction, OperationTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { timeOrderedId } from "../db/time-ordered-id.js";
import { perLoopTurn } from "../db/turn-batch.js";
import { apiVersionOf } from "../http/api-version.js";
import { ApiError } from "../http/errors.js";
import type { PublisherPrincipal } from "../identity/principal.js";
import { assertOwnedBy, batchFailureLogger, type FulfillmentDeps } from "./deps.js";
import { isUniqueViolation, type SubscriptionRow } from "./repository.js";

export function lockedError(deps: FulfillmentDeps): ApiError {
  return new ApiError("SubscriptionLocked", undefined, {
    status: deps.settings.fidelity.lockedSubscriptionStatus,
    target: "subscriptionId",
  });
}

/** What a publisher-initiated operation asks for. */
export interface PartnerChange {
  action: OperationAction;
  planId: string;
  quantity: number | null;
}

/** Decides the operation from the subscription as it is, or throws the error to answer. */
export type DecideOperation = (row: SubscriptionRow) => PartnerChange;

function partnerOperationRow(
  deps: FulfillmentDeps,
  subscription: SubscriptionRow,
  change: PartnerChange,
): Insertable<OperationTable> {
  const id = timeOrderedId();
  const now = toStored(deps.clocks.now(subscription.test_clock));
  return {
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
  };
}

/**
 * How publisher-initiated operations (F6 change, F7 cancel) start. The lock rule (one NotStarted or
 * InProgress operation per subscription) is the unique index on `(subscription_id, pending)`, whose
 * violation becomes the locked error, with no read beforehand to ask.
 *
 * On PostgreSQL the operation is decided on the subscription as read before (outside any transaction),
 * and the operations started in one turn of the event loop are inserted in one statement, each only if
 * its subscription's `event_seq` is still the one read. One whose subscription changed meanwhile, or that
 * could not be inserted, is decided again inside a transaction holding the row, as every one is on
 * SQLite (where statements run in process and group commit shares the commit).
 */
export function createOperationStarter(deps: FulfillmentDeps) {
  const onFailure = batchFailureLogger(deps, "a batch of operation inserts");
  const insertTogether =
    deps.dialect === "postgres"
      ? perLoopTurn<{ row: Insertable<OperationTable>; eventSeq: number }, boolean>(async (batch) => {
          const first = new Map<string, (typeof batch)[number]>();
          for (const call of batch) {
            const id = call.input.row.subscription_id;
            if (first.has(id)) call.resolve(false);
            else first.set(id, call);
          }
          const inserted = await deps.subscriptions.insertOperationsIfUnchanged(
            [...first.values()].map((call) => call.input),
            onFailure,
          );
          for (const [id, call] of first) call.resolve(inserted.has(id));
        })
      : undefined;

  /** Starts the operation `decide` makes of `read`, an owned subscription; returns the operation's id. */
  return async (
    read: SubscriptionRow,
    principal: PublisherPrincipal,
    subscriptionId: string,
    decide: DecideOperation,
  ): Promise<string> => {
    if (insertTogether) {
      const row = partnerOperationRow(deps, read, decide(read));
      if (await insertTogether({ row, eventSeq: Number(read.event_seq) })) return row.id;
    }
    try {
      return await deps.subscriptions.transaction(async (trx) => {
        const row = assertOwnedBy(
          await deps.subscriptions.getForUpdate(trx, read.id),
          subscriptionId,
          principal,
        );
        const operation = partnerOperationRow(deps, row, decide(row));
        await deps.subscriptions.insertOperation(trx, operation);
        return operation.id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw lockedError(deps);
      throw error;
    }
  };
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
