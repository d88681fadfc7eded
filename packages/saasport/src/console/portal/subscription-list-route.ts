import type { FastifyInstance } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import { sendPage } from "../responses.js";
import { isRefusal, readableMessage } from "../store/api-errors.js";
import type { StoreSubscription } from "../store/wire.js";
import { publisherOf } from "./guard.js";
import { withQuery } from "./paths.js";
import {
  type SubscriptionFilters,
  type SubscriptionListView,
  subscriptionFilterNames,
  subscriptionListPage,
} from "./subscription-list-page.js";
import type { PartnerOffer } from "./wire.js";

const pageSize = 50;

const filterLabels: Record<string, string> = {
  status: "Status",
  offerId: "Offer",
  planId: "Plan ID",
  beneficiaryTenantId: "Buyer tenant",
};

function one(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** The portal's subscription list over GET /partner/v1/subscriptions (only this publisher's). */
export function registerSubscriptionList(portal: FastifyInstance, deps: ConsoleDeps): void {
  portal.get<{ Querystring: Record<string, unknown> }>("/subscriptions", async (request, reply) => {
    const { persona, signedIn } = publisherOf(request);
    const filters = Object.fromEntries(
      subscriptionFilterNames.map((name) => [name, one(request.query[name])]),
    ) as SubscriptionFilters;
    const continuationToken = one(request.query.continuationToken);
    const { body: catalog } = await deps.api.call<{ offers: PartnerOffer[] }>(
      persona,
      "GET",
      "/partner/v1/offers",
    );
    const view: SubscriptionListView = {
      signedIn,
      offers: catalog.offers,
      filters,
      subscriptions: [],
      continuationToken: null,
    };
    try {
      const { body } = await deps.api.call<{
        subscriptions: StoreSubscription[];
        continuationToken: string | null;
      }>(
        persona,
        "GET",
        withQuery("/partner/v1/subscriptions", { ...filters, continuationToken, limit: pageSize }),
      );
      return sendPage(
        reply,
        200,
        subscriptionListPage({
          ...view,
          subscriptions: body.subscriptions,
          continuationToken: body.continuationToken,
        }),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const field = (error.target ?? "").replace(/^querystring\./, "");
      return sendPage(
        reply,
        error.status,
        subscriptionListPage({
          ...view,
          failure: { field, message: readableMessage(error, filterLabels[field]) },
        }),
      );
    }
  });
}
