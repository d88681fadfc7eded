import { partnerOf } from "../../../http/partner-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { getOffer } from "../../service/offers.js";
import { OfferView } from "../../views.js";
import { OfferParams, partnerDocs, type TypedApp } from "../route-kit.js";

export function registerGetOffer(app: TypedApp, deps: CatalogServiceDeps): void {
  app.get(
    "/offers/:offerId",
    {
      schema: {
        ...partnerDocs,
        summary: "One offer with its plans",
        params: OfferParams,
        response: { 200: OfferView },
      },
    },
    async (request) => getOffer(deps, partnerOf(request).publisherId, request.params.offerId),
  );
}
