import type { FastifyInstance } from "fastify";
import { toStored } from "../../db/time.js";
import { ApiError, badArgument } from "../../http/errors.js";
import { type FulfillmentDeps, isGuid, loadOwnedSubscription } from "../deps.js";
import { decideAcknowledge } from "../lifecycle-rules.js";
import { effectOfOperation, targetPlanOf } from "../operation-effects.js";
import { operationNotFound } from "./get-operation.js";

/**
 * O3: the publisher acknowledges a marketplace-initiated operation. `Success` applies the change
 * (plan, seats, or reinstatement); `Failure` leaves the subscription as it was. The spec also allows
 * `planId` and `quantity` in the body; they are accepted and must match the operation if given.
 */
export function registerUpdateOperation(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.patch<{ Params: { subscriptionId: string; operationId: string } }>(
    "/api/saas/subscriptions/:subscriptionId/operations/:operationId",
    async (request, reply) => {
      const body = readAck(request.body);
      const subscription = await loadOwnedSubscription(deps, request, request.params.subscriptionId);
      const { operationId } = request.params;
      if (!isGuid(operationId)) throw operationNotFound(deps, operationId);
      const known = await deps.subscriptions.getOperation(subscription.id, operationId.toLowerCase());
      if (!known) throw operationNotFound(deps, operationId);
      const targetPlan = await targetPlanOf(deps.catalog, subscription, known);
      await deps.subscriptions.transaction(async (trx) => {
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
        const now = toStored(deps.clock.now());
        if (body.status === "Failure") {
          await deps.subscriptions.transitionOperation(trx, operation.id, "InProgress", {
            status: "Failed",
            updated_at: now,
          });
          return;
        }
        const moved = await deps.subscriptions.transitionOperation(trx, operation.id, "InProgress", {
          status: "Succeeded",
          updated_at: now,
        });
        if (!moved) throw new ApiError("Conflict", "The operation was completed by another request.");
        await deps.subscriptions.update(trx, row.id, effectOfOperation(operation, row, targetPlan, now));
      });
      return reply.code(200).send();
    },
  );
}

function readAck(body: unknown): { status: "Success" | "Failure"; planId?: string; quantity?: number } {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badArgument("body", 'Send {"status":"Success"} or {"status":"Failure"}.', "RequiredField");
  }
  const { status, planId, quantity } = body as Record<string, unknown>;
  if (status !== "Success" && status !== "Failure") {
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
