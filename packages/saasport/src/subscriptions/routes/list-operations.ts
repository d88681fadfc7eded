import type { FastifyInstance } from "fastify";
import { type FulfillmentDeps, loadOwnedSubscription, offerOf } from "../deps.js";
import { wireOperation } from "../wire-format.js";

/** O1: operations waiting for the publisher's acknowledgement (marketplace-initiated, InProgress). */
export function registerListOperations(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.get<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId/operations",
    async (request) => {
      const row = await loadOwnedSubscription(deps, request, request.params.subscriptionId);
      const offer = await offerOf(deps, row);
      const operations = (await deps.subscriptions.operationsAwaitingAck(row.id)).map((operation) =>
        wireOperation(operation, row, offer.pricingModel, deps.settings.fidelity.operationFields),
      );
      return deps.settings.fidelity.operationListShape === "array" ? operations : { operations };
    },
  );
}
