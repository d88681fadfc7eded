import { Type } from "@sinclair/typebox";
import { partnerOf } from "../../../http/partner-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { listOffers } from "../../service/offers.js";
import { OfferView } from "../../views.js";
import { partnerDocs, type TypedApp } from "../route-kit.js";

export function registerListOffers(app: TypedApp, deps: CatalogServiceDeps): void {
  app.get(
    "/offers",
    {
      schema: {
        ...partnerDocs,
        summary: "The publisher's offers with their plans",
        response: { 200: Type.Object({ offers: Type.Array(OfferView) }) },
      },
    },
    async (request) => ({ offers: await listOffers(deps, partnerOf(request).publisherId) }),
  );
}
