import type { FastifyInstance } from "fastify";
import { ApiError, badArgument } from "../../http/errors.js";
import { checkPlanChange, checkQuantityChange } from "../change-rules.js";
import {
  assertOwnedBy,
  type FulfillmentDeps,
  isGuid,
  loadOwnedWireSubscription,
  offerOf,
  principalOf,
  subscriptionNotFound,
} from "../deps.js";
import { type CustomerOperation, decideChange } from "../lifecycle-rules.js";
import {
  acceptedOperation,
  insertPartnerOperation,
  lockedError,
  withOperationLock,
} from "../start-operation.js";

type Change = { planId: string } | { quantity: number };

function readChange(body: unknown): Change {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badArgument("body", 'Send a JSON object with either "planId" or "quantity".', "RequiredField");
  }
  const { planId, quantity } = body as { planId?: unknown; quantity?: unknown };
  const hasPlan = planId !== undefined && planId !== null;
  const hasQuantity = quantity !== undefined && quantity !== null;
  if (hasPlan && hasQuantity) {
    throw new ApiError("BadArgument", "Cannot patch more than one field in the same request", {
      target: "body",
    });
  }
  if (hasPlan) {
    if (typeof planId !== "string" || planId.trim() === "")
      throw badArgument("planId", "planId must be a non-empty string.");
    return { planId };
  }
  if (hasQuantity) {
    if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1) {
      throw badArgument("quantity", "quantity must be a whole number of seats, at least 1.");
    }
    return { quantity };
  }
  throw badArgument("body", 'Send either "planId" or "quantity".', "RequiredField");
}

/** F6: change plan or seats. Answers 202 with an operation that the marketplace then carries out. */
export function registerUpdateSubscription(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.patch<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId",
    async (request, reply) => {
      const { subscriptionId } = request.params;
      if (!isGuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
      const change = readChange(request.body);
      // Catalog reads happen before the transaction: on SQLite a query outside the transaction's
      // connection would wait for the transaction to end.
      const snapshot = await loadOwnedWireSubscription(deps, request, subscriptionId);
      const offer = await offerOf(deps, snapshot);
      const plan = await deps.catalog.getPlan(
        snapshot.publisher_id,
        snapshot.offer_id,
        "planId" in change ? change.planId : snapshot.plan_id,
      );
      const operationId = await withOperationLock(deps, async (trx) => {
        const row = assertOwnedBy(
          await deps.subscriptions.getForUpdate(trx, snapshot.id),
          subscriptionId,
          principalOf(request),
        );
        const decision = decideChange(
          row.status,
          JSON.parse(row.allowed_customer_operations) as CustomerOperation[],
        );
        if (!decision.ok) throw new ApiError(decision.code, decision.message, { target: "subscriptionId" });
        if ("planId" in change) {
          checkPlanChange(row, plan, offer.pricingModel === "perUser");
          return insertPartnerOperation(deps, trx, row, {
            action: "ChangePlan",
            planId: change.planId,
            quantity: row.quantity,
          });
        }
        if (offer.pricingModel !== "perUser") {
          throw badArgument(
            "quantity",
            "The subscription's plan is flat-rate; only per-user plans have a seat quantity.",
          );
        }
        if (row.plan_id !== snapshot.plan_id) throw lockedError(deps);
        checkQuantityChange(row, plan, change.quantity);
        return insertPartnerOperation(deps, trx, row, {
          action: "ChangeQuantity",
          planId: row.plan_id,
          quantity: change.quantity,
        });
      });
      return acceptedOperation(deps, request, reply, snapshot.id, operationId);
    },
  );
}
