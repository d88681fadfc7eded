import type { FastifyInstance } from "fastify";
import { type FulfillmentDeps, loadOwnedWireSubscription, offerOf } from "../deps.js";
import { jsonContentType, wireSubscriptionJson } from "../wire-format.js";

/** F4: one subscription. */
export function registerGetSubscription(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.get<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId",
    async (request, reply) => {
      const row = await loadOwnedWireSubscription(deps, request, request.params.subscriptionId);
      const offer = await offerOf(deps, row);
      return reply
        .type(jsonContentType)
        .send(wireSubscriptionJson(row, offer.pricingModel, deps.settings.fidelity));
    },
  );
}
