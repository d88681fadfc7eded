import type { FastifyInstance } from "fastify";
import { ApiError } from "../../http/errors.js";
import { type FulfillmentDeps, isGuid, loadOwnedSubscription, offerOf } from "../deps.js";
import { wireOperation } from "../wire-format.js";

export function operationNotFound(deps: FulfillmentDeps, operationId: string): ApiError {
  return new ApiError("EntityNotFound", `Operation ${operationId.slice(0, 100)} was not found.`, {
    target: "operationId",
    status: deps.settings.fidelity.operationNotFoundStatus,
  });
}

/** O2: the status of one operation of the subscription. */
export function registerGetOperation(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.get<{ Params: { subscriptionId: string; operationId: string } }>(
    "/api/saas/subscriptions/:subscriptionId/operations/:operationId",
    async (request) => {
      const row = await loadOwnedSubscription(deps, request, request.params.subscriptionId);
      const { operationId } = request.params;
      const operation = isGuid(operationId)
        ? await deps.subscriptions.getOperation(row.id, operationId.toLowerCase())
        : undefined;
      if (!operation) throw operationNotFound(deps, operationId);
      const offer = await offerOf(deps, row);
      return wireOperation(operation, row, offer.pricingModel, deps.settings.fidelity.operationFields);
    },
  );
}
