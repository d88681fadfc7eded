import { partnerOf } from "../../../http/partner-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { getPlan } from "../../service/plans.js";
import { PlanView } from "../../views.js";
import { PlanParams, partnerDocs, type TypedApp } from "../route-kit.js";

export function registerGetPlan(app: TypedApp, deps: CatalogServiceDeps): void {
  app.get(
    "/offers/:offerId/plans/:planId",
    { schema: { ...partnerDocs, summary: "One plan", params: PlanParams, response: { 200: PlanView } } },
    async (request) =>
      getPlan(deps, partnerOf(request).publisherId, request.params.offerId, request.params.planId),
  );
}
