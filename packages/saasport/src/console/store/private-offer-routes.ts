import type { FastifyInstance } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit } from "../forms.js";
import { privateOffersPage } from "../pages/store/private-offers-page.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal } from "./api-errors.js";
import { shopperOf } from "./guard.js";
import { storePaths } from "./paths.js";
import type { StorePrivateOffer } from "./wire.js";

/** Private offers made to the tenant, and accepting one. */
export function registerPrivateOfferRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: { done?: string } }>("/store/private-offers", async (request, reply) => {
    const { persona, signedIn } = shopperOf(request);
    const { body } = await deps.api.call<{ privateOffers: StorePrivateOffer[] }>(
      persona,
      "GET",
      "/store/v1/private-offers",
    );
    const flash =
      request.query.done === "accepted"
        ? {
            tone: "success" as const,
            text: "Accepted: its plans now show the private price in the storefront.",
          }
        : undefined;
    return sendPage(reply, 200, privateOffersPage({ signedIn, offers: body.privateOffers, flash }));
  });

  app.post<{ Params: { id: string } }>(
    "/store/private-offers/:id/accept",
    { bodyLimit: formBodyLimit },
    async (request, reply) => {
      const { persona, signedIn } = shopperOf(request);
      try {
        await deps.api.call(
          persona,
          "POST",
          `/store/v1/private-offers/${encodeURIComponent(request.params.id)}/accept`,
        );
        return seeOther(reply, `${storePaths.privateOffers}?done=accepted`);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        const { body } = await deps.api.call<{ privateOffers: StorePrivateOffer[] }>(
          persona,
          "GET",
          "/store/v1/private-offers",
        );
        return sendPage(
          reply,
          error.status,
          privateOffersPage({
            signedIn,
            offers: body.privateOffers,
            failure: { offerId: request.params.id.toLowerCase(), message: error.message },
          }),
        );
      }
    },
  );
}
