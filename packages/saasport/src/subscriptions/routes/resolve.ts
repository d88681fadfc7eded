import type { FastifyInstance } from "fastify";
import { isTrue } from "../../db/time.js";
import { ApiError } from "../../http/errors.js";
import { lookupLandingToken } from "../../purchases/landing-tokens.js";
import { assertOwnedBy, type FulfillmentDeps, offerOf, principalOf } from "../deps.js";
import { jsonContentType, wireOfferId, wireQuantity, wireSubscriptionJson } from "../wire-format.js";

/**
 * F1: exchanges the landing-page token (header `x-ms-marketplace-token`) for the subscription. An unknown
 * or expired token is 400 or 404 (`resolveUnknownTokenStatus`); one too long to be a token is always 400.
 */
export function registerResolve(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.post("/api/saas/subscriptions/resolve", async (request, reply) => {
    const header = request.headers["x-ms-marketplace-token"];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) {
      throw new ApiError("HeaderNotPresent", "Mandatory header missing", {
        target: "x-ms-marketplace-token",
      });
    }
    if (token.length > 4096)
      throw new ApiError("InvalidValue", "Failed to decode token", { target: "token" });
    const lookup = await lookupLandingToken(deps.db, token.trim(), deps.clocks.now());
    if (!lookup.found) {
      const message =
        lookup.reason === "expired"
          ? "The marketplace token has expired; the customer can get a new one from the subscription's Configure account link."
          : "Failed to decode token";
      const notFound = deps.settings.fidelity.resolveUnknownTokenStatus === 404;
      throw new ApiError(notFound ? "EntityNotFound" : "InvalidValue", message, { target: "token" });
    }
    const row = assertOwnedBy(lookup.subscription, lookup.subscription.id, principalOf(request));
    const offer = await offerOf(deps, row);
    const seats = wireQuantity(row, offer.pricingModel, deps.settings.fidelity);
    const quantity = seats === undefined ? "" : `,"quantity":${JSON.stringify(seats)}`;
    const subscription = wireSubscriptionJson(row, offer.pricingModel, deps.settings.fidelity);
    return reply
      .type(jsonContentType)
      .send(
        `{"id":${JSON.stringify(row.id)},"subscriptionName":${JSON.stringify(row.name)},` +
          `"offerId":${JSON.stringify(wireOfferId(row.offer_id, isTrue(row.is_preview)))},` +
          `"planId":${JSON.stringify(row.plan_id)}${quantity},"subscription":${subscription}}`,
      );
  });
}
