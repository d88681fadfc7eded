import type { FastifyInstance } from "fastify";
import { ApiError } from "../../http/errors.js";
import { assertOwnedBy, type FulfillmentDeps, isGuid, principalOf, subscriptionNotFound } from "../deps.js";
import { type CustomerOperation, decideCancel } from "../lifecycle-rules.js";
import { acceptedOperation, insertPartnerOperation, withOperationLock } from "../start-operation.js";

/** F7: cancel. Answers 202 with an Unsubscribe operation that the marketplace then carries out. */
export function registerDeleteSubscription(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.delete<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId",
    async (request, reply) => {
      const { subscriptionId } = request.params;
      if (!isGuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
      const principal = principalOf(request);
      const operationId = await withOperationLock(deps, async (trx) => {
        const row = assertOwnedBy(
          await deps.subscriptions.getForUpdate(trx, subscriptionId.toLowerCase()),
          subscriptionId,
          principal,
        );
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
        return insertPartnerOperation(deps, trx, row, {
          action: "Unsubscribe",
          planId: row.plan_id,
          quantity: row.quantity,
        });
      });
      return acceptedOperation(deps, request, reply, subscriptionId.toLowerCase(), operationId);
    },
  );
}
