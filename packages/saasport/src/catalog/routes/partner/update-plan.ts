import { partnerOf } from "../../../http/partner-auth.js";
import { PlanPatchInput } from "../../input-schema.js";
import { readBody } from "../../service/api-errors.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { updatePlan } from "../../service/plans.js";
import { PlanView } from "../../views.js";
import { PlanParams, partnerDocs, type TypedApp, validatedInHandler } from "../route-kit.js";

export function registerUpdatePlan(app: TypedApp, deps: CatalogServiceDeps): void {
  app.patch(
    "/offers/:offerId/plans/:planId",
    {
      schema: {
        ...partnerDocs,
        summary: "Change some fields of a plan; the resulting plan must pass every plan rule",
        params: PlanParams,
        body: PlanPatchInput,
        response: { 200: PlanView },
      },
      validatorCompiler: validatedInHandler,
    },
    async (request) => {
      const { offerId, planId } = request.params;
      return updatePlan(
        deps,
        partnerOf(request).publisherId,
        offerId,
        planId,
        readBody(PlanPatchInput, request.body),
      );
    },
  );
}
