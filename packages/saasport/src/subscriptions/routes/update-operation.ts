import type { FastifyInstance } from "fastify";
import { ApiError, badArgument } from "../../http/errors.js";
import { type FulfillmentDeps, isGuid, loadOwnedSubscription, offerOf } from "../deps.js";
import { completeOperation, failOperation } from "../lifecycle/operations.js";
import { decideAcknowledge } from "../lifecycle-rules.js";
import { targetPlanOf } from "../operation-effects.js";
import { operationNotFound } from "./get-operation.js";

/**
 * O3: the publisher acknowledges a marketplace-initiated operation. `Success` applies the change
 * (plan, seats, or reinstatement); `Failure` leaves the subscription as it was. The spec also allows
 * `planId` and `quantity` in the body; they are accepted and must match the operation if given. Any
 * other status string is 400, or, with `operationStatusValues: acceptAny`, 200 with nothing changed
 * once the subscription and the operation are found.
 */
export function registerUpdateOperation(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.patch<{ Params: { subscriptionId: string; operationId: string } }>(
    "/api/saas/subscriptions/:subscriptionId/operations/:operationId",
    async (request, reply) => {
      const body = readAck(request.body, deps.settings.fidelity.operationStatusValues === "acceptAny");
      const subscription = await loadOwnedSubscription(deps, request, request.params.subscriptionId);
      const { operationId } = request.params;
      if (!isGuid(operationId)) throw operationNotFound(deps, operationId);
      const known = await deps.subscriptions.getOperation(subscription.id, operationId.toLowerCase());
      if (!known) throw operationNotFound(deps, operationId);
      if (!isAckStatus(body.status)) return reply.code(200).send();
      const targetPlan = await targetPlanOf(deps.catalog, subscription, known);
      const { pricingModel } = await offerOf(deps, subscription);
      const committed = await deps.subscriptions.transaction(async (trx) => {
        const row = await deps.subscriptions.getForUpdate(trx, subscription.id);
        const operation = await deps.subscriptions.getOperation(
          subscription.id,
          operationId.toLowerCase(),
          trx,
        );
        if (!row || !operation) throw operationNotFound(deps, operationId);
        const decision = decideAcknowledge(operation);
        if (!decision.ok) {
          if (decision.code === "PartnerOperation") {
            throw new ApiError("BadRequest", decision.message, {
              status: deps.settings.fidelity.partnerOperationAckStatus,
              target: "operationId",
            });
          }
          throw new ApiError(decision.code, decision.message, { target: "operationId" });
        }
        if (body.planId !== undefined && body.planId !== operation.plan_id) {
          throw badArgument(
            "planId",
            `The operation changes to plan ${operation.plan_id}, not ${body.planId}.`,
          );
        }
        if (body.quantity !== undefined && body.quantity !== operation.quantity) {
          throw badArgument(
            "quantity",
            `The operation changes to ${operation.quantity} seats, not ${body.quantity}.`,
          );
        }
        if (body.status === "Failure") {
          return failOperation(trx, deps, row, operation, pricingModel, {
            actor: "publisher",
            reason: "acknowledgedFailure",
            message: "The publisher reported that it could not apply the change.",
          });
        }
        const done = await completeOperation(trx, deps, row, operation, targetPlan, pricingModel, {
          actor: "publisher",
          reason: "acknowledgedSuccess",
        });
        if (!done) throw new ApiError("Conflict", "The operation was completed by another request.");
        return done;
      });
      if (committed) deps.signals.eventsRecorded();
      return reply.code(200).send();
    },
  );
}

interface Ack {
  /** "Success" or "Failure"; any other string only when the setting accepts any. */
  status: string;
  planId?: string;
  quantity?: number;
}

function isAckStatus(status: string): status is "Success" | "Failure" {
  return status === "Success" || status === "Failure";
}

function readAck(body: unknown, acceptAnyStatus: boolean): Ack {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badArgument("body", 'Send {"status":"Success"} or {"status":"Failure"}.', "RequiredField");
  }
  const { status, planId, quantity } = body as Record<string, unknown>;
  if (typeof status !== "string" || !(acceptAnyStatus || isAckStatus(status))) {
    throw new ApiError("InvalidValue", 'status must be "Success" or "Failure".', { target: "status" });
  }
  if (planId !== undefined && typeof planId !== "string")
    throw badArgument("planId", "planId must be a string.");
  if (quantity !== undefined && (typeof quantity !== "number" || !Number.isInteger(quantity))) {
    throw badArgument("quantity", "quantity must be an integer.");
  }
  return {
    status,
    ...(planId === undefined ? {} : { planId }),
    ...(quantity === undefined ? {} : { quantity }),
  };
}
