import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { badArgument } from "../http/errors.js";
import { partnerOf } from "../http/partner-auth.js";
import { type FulfillmentDeps, isGuid, subscriptionNotFound } from "./deps.js";
import { subscriptionView } from "./views.js";

const params = Type.Object({
  // Checked in the handler, whose message says what a subscription id looks like (the schema's quotes a regex).
  subscriptionId: Type.String({ description: "The subscription id (a GUID)" }),
});
type Params = Static<typeof params>;

const answer = Type.Object({}, { additionalProperties: true });

function subscriptionIdOf(value: string): string {
  if (!isGuid(value)) {
    throw badArgument(
      "params.subscriptionId",
      `params.subscriptionId must be a subscription id, a GUID such as 33333333-3333-3333-3333-333333333333 (got ${JSON.stringify(value.slice(0, 60))}).`,
    );
  }
  return value.toLowerCase();
}

/**
 * GET /partner/v1/subscriptions/{subscriptionId}: one of the calling publisher's subscriptions, in the
 * same view as an item of the list. Another publisher's subscription is answered exactly like an unknown
 * one (404), so whether it exists is never revealed.
 */
export function registerPartnerSubscriptionGet(scope: FastifyInstance, deps: FulfillmentDeps): void {
  scope.get<{ Params: Params }>(
    "/subscriptions/:subscriptionId",
    {
      schema: {
        tags: ["Partner: subscriptions"],
        security: [{ publisherToken: [] }, { operatorKey: [] }],
        summary: "One of the publisher's subscriptions",
        params,
        response: { 200: answer },
      },
    },
    async (request) => {
      const { publisherId } = partnerOf(request);
      const id = subscriptionIdOf(request.params.subscriptionId);
      const row = await deps.subscriptions.get(id);
      if (!row || row.publisher_id !== publisherId) throw subscriptionNotFound(request.params.subscriptionId);
      const [offer, pending] = await Promise.all([
        deps.catalog.getOffer(publisherId, row.offer_id),
        deps.subscriptions.pendingOperation(deps.db, row.id),
      ]);
      return subscriptionView(row, offer?.pricingModel ?? "flatRate", deps.settings, pending);
    },
  );
}
