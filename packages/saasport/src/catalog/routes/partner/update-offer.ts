import { partnerOf } from "../../../http/partner-auth.js";
import { OfferPatchInput } from "../../input-schema.js";
import { readBody } from "../../service/api-errors.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { updateOffer } from "../../service/offers.js";
import { OfferView } from "../../views.js";
import { OfferParams, partnerDocs, type TypedApp, validatedInHandler } from "../route-kit.js";

export function registerUpdateOffer(app: TypedApp, deps: CatalogServiceDeps): void {
  app.patch(
    "/offers/:offerId",
    {
      schema: {
        ...partnerDocs,
        summary: "Change an offer's name, description, preview flag or (while it has no plans) pricing model",
        params: OfferParams,
        body: OfferPatchInput,
        response: { 200: OfferView },
      },
      validatorCompiler: validatedInHandler,
    },
    async (request) =>
      updateOffer(
        deps,
        partnerOf(request).publisherId,
        request.params.offerId,
        readBody(OfferPatchInput, request.body),
      ),
  );
}
