import type { FastifyInstance } from "fastify";
import { ApiError, badArgument } from "../../http/errors.js";
import { checkPlanChange, checkQuantityChange } from "../change-rules.js";
import {
  type FulfillmentDeps,
  isGuid,
  loadOwnedSubscription,
  offerOf,
  principalOf,
  subscriptionNotFound,
} from "../deps.js";
import { type CustomerOperation, decideChange } from "../lifecycle-rules.js";
import type { SubscriptionRow } from "../repository.js";
import { acceptedOperation, createOperationStarter, lockedError } from "../start-operation.js";

type Change = { planId: string; quantity?: number } | { quantity: number };

/** The change asked for; plan and quantity together only when `allowBoth` (spec §10.14). */
function readChange(body: unknown, allowBoth: boolean): Change {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badArgument("body", 'Send a JSON object with either "planId" or "quantity".', "RequiredField");
  }
  const { planId, quantity } = body as { planId?: unknown; quantity?: unknown };
  const hasPlan = planId !== undefined && planId !== null;
  const hasQuantity = quantity !== undefined && quantity !== null;
  if (hasPlan && hasQuantity && !allowBoth) {
    throw new ApiError("BadArgument", "Cannot patch more than one field in the same request", {
      target: "body",
    });
  }
  if (hasPlan) {
    if (typeof planId !== "string" || planId.trim() === "")
      throw badArgument("planId", "planId must be a non-empty string.");
    return hasQuantity ? { planId, quantity: readSeats(quantity) } : { planId };
  }
  if (hasQuantity) return { quantity: readSeats(quantity) };
  throw badArgument("body", 'Send either "planId" or "quantity".', "RequiredField");
}

function readSeats(quantity: unknown): number {
  if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1) {
    throw badArgument("quantity", "quantity must be a whole number of seats, at least 1.");
  }
  return quantity;
}

/** F6: change plan or seats. Answers 202 with an operation that the marketplace then carries out. */
export function registerUpdateSubscription(app: FastifyInstance, deps: FulfillmentDeps): void {
  const startOperation = createOperationStarter(deps);
  app.patch<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId",
    async (request, reply) => {
      const { subscriptionId } = request.params;
      if (!isGuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
      const change = readChange(request.body, deps.settings.fidelity.planAndQuantity === "allow");
      // Catalog reads happen before any transaction: on SQLite a query outside the transaction's
      // connection would wait for the transaction to end.
      const read = await loadOwnedSubscription(deps, request, subscriptionId);
      const offer = await offerOf(deps, read);
      const plan = await deps.catalog.getPlan(
        read.publisher_id,
        read.offer_id,
        "planId" in change ? change.planId : read.plan_id,
      );
      const decide = (row: SubscriptionRow) => {
        const decision = decideChange(
          row.status,
          JSON.parse(row.allowed_customer_operations) as CustomerOperation[],
        );
        if (!decision.ok) throw new ApiError(decision.code, decision.message, { target: "subscriptionId" });
        const flatRate = () =>
          badArgument(
            "quantity",
            "The subscription's plan is flat-rate; only per-user plans have a seat quantity.",
          );
        if ("planId" in change) {
          if (change.quantity !== undefined && offer.pricingModel !== "perUser") throw flatRate();
          checkPlanChange(row, plan, offer.pricingModel === "perUser", change.quantity);
          const quantity = change.quantity ?? row.quantity;
          return { action: "ChangePlan" as const, planId: change.planId, quantity };
        }
        if (offer.pricingModel !== "perUser") throw flatRate();
        // The seat limits checked are those of the plan read before; a plan changed since is in the way.
        if (row.plan_id !== read.plan_id) throw lockedError(deps);
        checkQuantityChange(row, plan, change.quantity);
        return { action: "ChangeQuantity" as const, planId: row.plan_id, quantity: change.quantity };
      };
      const operationId = await startOperation(read, principalOf(request), subscriptionId, decide);
      return acceptedOperation(deps, request, reply, read.id, operationId);
    },
  );
}
