import { partnerOf } from "../../../http/partner-auth.js";
import { PlanInput } from "../../input-schema.js";
import { readBody } from "../../service/api-errors.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { createPlan } from "../../service/plans.js";
import { PlanView } from "../../views.js";
import { OfferParams, partnerDocs, type TypedApp, validatedInHandler } from "../route-kit.js";

export function registerCreatePlan(app: TypedApp, deps: CatalogServiceDeps): void {
  app.post(
    "/offers/:offerId/plans",
    {
      schema: {
        ...partnerDocs,
        summary: "Add a plan to an offer (the catalog file's vocabulary and rules)",
        params: OfferParams,
        body: PlanInput,
        response: { 201: PlanView },
      },
      validatorCompiler: validatedInHandler,
    },
    async (request, reply) => {
      const { offerId } = request.params;
      const plan = await createPlan(
        deps,
        partnerOf(request).publisherId,
        offerId,
        readBody(PlanInput, request.body),
      );
      const location = `/partner/v1/offers/${encodeURIComponent(offerId)}/plans/${encodeURIComponent(plan.id)}`;
      return reply.code(201).header("location", location).send(plan);
    },
  );
}
