import { partnerOf } from "../../../http/partner-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { setPlanStopSell } from "../../service/plans.js";
import { PlanView } from "../../views.js";
import { PlanParams, partnerDocs, type TypedApp } from "../route-kit.js";

export function registerResumeSellPlan(app: TypedApp, deps: CatalogServiceDeps): void {
  app.post(
    "/offers/:offerId/plans/:planId/resume-sell",
    {
      schema: {
        ...partnerDocs,
        summary: "Put a stop-sold plan back on sale",
        params: PlanParams,
        response: { 200: PlanView },
      },
    },
    async (request) => {
      const { offerId, planId } = request.params;
      return setPlanStopSell(deps, partnerOf(request).publisherId, offerId, planId, false);
    },
  );
}
