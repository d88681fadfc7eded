import { partnerOf } from "../../../http/partner-auth.js";
import { OfferInput } from "../../input-schema.js";
import { readBody } from "../../service/api-errors.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { createOffer } from "../../service/offers.js";
import { OfferView } from "../../views.js";
import { partnerDocs, type TypedApp, validatedInHandler } from "../route-kit.js";

export function registerCreateOffer(app: TypedApp, deps: CatalogServiceDeps): void {
  app.post(
    "/offers",
    {
      schema: {
        ...partnerDocs,
        summary: "Create an offer, optionally with its plans (the catalog file's vocabulary and rules)",
        body: OfferInput,
        response: { 201: OfferView },
      },
      validatorCompiler: validatedInHandler,
    },
    async (request, reply) => {
      const offer = await createOffer(
        deps,
        partnerOf(request).publisherId,
        readBody(OfferInput, request.body),
      );
      return reply
        .code(201)
        .header("location", `/partner/v1/offers/${encodeURIComponent(offer.id)}`)
        .send(offer);
    },
  );
}
