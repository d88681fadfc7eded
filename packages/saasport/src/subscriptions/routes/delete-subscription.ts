import type { FastifyInstance } from "fastify";
import { ApiError } from "../../http/errors.js";
import { type FulfillmentDeps, loadOwnedSubscription, principalOf } from "../deps.js";
import { type CustomerOperation, decideCancel } from "../lifecycle-rules.js";
import type { SubscriptionRow } from "../repository.js";
import { acceptedOperation, createOperationStarter } from "../start-operation.js";

/** F7: cancel. Answers 202 with an Unsubscribe operation that the marketplace then carries out. */
export function registerDeleteSubscription(app: FastifyInstance, deps: FulfillmentDeps): void {
  const startOperation = createOperationStarter(deps);
  app.delete<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId",
    async (request, reply) => {
      const { subscriptionId } = request.params;
      const read = await loadOwnedSubscription(deps, request, subscriptionId);
      const decide = (row: SubscriptionRow) => {
        const decision = decideCancel({
          status: row.status,
          operations: JSON.parse(row.allowed_customer_operations) as CustomerOperation[],
          refundWindowPassed:
            deps.clocks.now(row.test_clock).getTime() - Date.parse(row.created_at) >
            deps.settings.lifecycle.refundWindowHours * 3_600_000,
          multiMonthTerm: row.term_unit !== "P1M",
          rejectMultiMonthAfterRefundWindow:
            deps.settings.fidelity.cancelAfterRefundWindow === "rejectMultiMonth",
        });
        if (!decision.ok) throw new ApiError(decision.code, decision.message, { target: "subscriptionId" });
        return { action: "Unsubscribe" as const, planId: row.plan_id, quantity: row.quantity };
      };
      const operationId = await startOperation(read, principalOf(request), subscriptionId, decide);
      return acceptedOperation(deps, request, reply, read.id, operationId);
    },
  );
}
