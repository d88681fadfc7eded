import type { FastifyInstance } from "fastify";
import { type FulfillmentDeps, loadOwnedWireSubscription, offerOf } from "../deps.js";
import { wireSubscription } from "../wire-format.js";

/** F4: one subscription. */
export function registerGetSubscription(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.get<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId",
    async (request) => {
      const row = await loadOwnedWireSubscription(deps, request, request.params.subscriptionId);
      const offer = await offerOf(deps, row);
      return wireSubscription(row, offer.pricingModel, deps.settings.fidelity);
    },
  );
}
