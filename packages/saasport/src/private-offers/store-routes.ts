import type { FastifyRequest } from "fastify";
import type { TypedApp } from "../catalog/routes/route-kit.js";
import { ApiError } from "../http/errors.js";
import type { StoreCaller } from "../purchases/store-auth.js";
import type { PrivateOffer } from "./model.js";
import { businessNow, type PrivateOfferRouteDeps } from "./partner-routes.js";
import { decideAccept, statusAt } from "./rules.js";
import { IdParams, StoreListQuery, StorePrivateOfferList, StorePrivateOfferView } from "./schemas.js";
import { storeView } from "./views.js";

const docs = {
  tags: ["Store: private offers"],
  security: [{ operatorKey: [] }],
  description: "Authenticated with a buyer token (POST /operator/v1/buyer-tokens) or the operator key.",
} as const;

/**
 * The customer's side: a signed-in buyer sees and accepts the private offers made to their tenant; the
 * operator acts for any buyer (`?tenantId=` names whose offers to list). Withdrawn offers are not shown.
 */
export function registerStorePrivateOfferRoutes(
  app: TypedApp,
  deps: PrivateOfferRouteDeps,
  authenticate: (request: FastifyRequest) => Promise<StoreCaller>,
): void {
  const callers = new WeakMap<FastifyRequest, StoreCaller>();
  const signIn = async (request: FastifyRequest) => {
    callers.set(request, await authenticate(request));
  };
  const callerOf = (request: FastifyRequest): StoreCaller => {
    const caller = callers.get(request);
    if (!caller) throw new ApiError("Unauthorized");
    return caller;
  };
  const notFound = (id: string) =>
    new ApiError("NotFound", `There is no private offer "${id.slice(0, 100)}" for you.`, { target: "id" });

  const withCatalog = async (offer: PrivateOffer, now: Date) => {
    const catalogOffer = await deps.catalog.getOffer(offer.publisherId, offer.offerId);
    const plans = await deps.catalog.listPlans(offer.publisherId, offer.offerId);
    return storeView(offer, { offerDisplayName: catalogOffer?.displayName ?? offer.offerId, plans }, now);
  };

  app.get(
    "/store/v1/private-offers",
    {
      onRequest: signIn,
      schema: {
        ...docs,
        summary:
          "The private offers made to the signed-in buyer's tenant, list and private prices side by side",
        querystring: StoreListQuery,
        response: { 200: StorePrivateOfferList },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const tenantId = caller.kind === "buyer" ? caller.buyer.tenantId : request.query.tenantId;
      if (!tenantId) return { privateOffers: [] };
      const now = await businessNow(deps.clocks);
      const offers = (await deps.repository.listByCustomer(tenantId)).filter(
        (offer) => offer.status !== "withdrawn",
      );
      return { privateOffers: await Promise.all(offers.map((offer) => withCatalog(offer, now))) };
    },
  );

  app.post(
    "/store/v1/private-offers/:id/accept",
    {
      onRequest: signIn,
      bodyLimit: 1024,
      schema: {
        ...docs,
        summary: "Accept a pending private offer made to your tenant, before its accept-by day ends",
        params: IdParams,
        response: { 200: StorePrivateOfferView },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const id = request.params.id.toLowerCase();
      const offer = await deps.repository.get(id);
      const mine = offer && (caller.kind === "operator" || offer.customerTenantId === caller.buyer.tenantId);
      if (!offer || !mine || offer.status === "withdrawn") throw notFound(request.params.id);
      const now = await businessNow(deps.clocks);
      const decision = decideAccept(offer, now);
      if (!decision.ok) throw new ApiError("Conflict", decision.message, { target: "id" });
      if (!(await deps.repository.settle(offer.id, "accepted", now))) {
        const current = (await deps.repository.get(offer.id)) ?? offer;
        throw new ApiError("Conflict", `Private offer ${offer.id} is ${statusAt(current, now)}.`, {
          target: "id",
        });
      }
      const accepted = (await deps.repository.get(offer.id)) ?? offer;
      return withCatalog(accepted, now);
    },
  );
}
