import { partnerOf } from "../../../http/partner-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { setPlanStopSell } from "../../service/plans.js";
import { PlanView } from "../../views.js";
import { PlanParams, partnerDocs, type TypedApp } from "../route-kit.js";

export function registerStopSellPlan(app: TypedApp, deps: CatalogServiceDeps): void {
  app.post(
    "/offers/:offerId/plans/:planId/stop-sell",
    {
      schema: {
        ...partnerDocs,
        summary: "Take a plan off sale; existing subscriptions keep it",
        params: PlanParams,
        response: { 200: PlanView },
      },
    },
    async (request) => {
      const { offerId, planId } = request.params;
      return setPlanStopSell(deps, partnerOf(request).publisherId, offerId, planId, true);
    },
  );
}
