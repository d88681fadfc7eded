import { Type } from "@sinclair/typebox";
import { partnerOf } from "../../../http/partner-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { listPlans } from "../../service/plans.js";
import { PlanView } from "../../views.js";
import { OfferParams, partnerDocs, type TypedApp } from "../route-kit.js";

export function registerListPlans(app: TypedApp, deps: CatalogServiceDeps): void {
  app.get(
    "/offers/:offerId/plans",
    {
      schema: {
        ...partnerDocs,
        summary: "The plans of an offer",
        params: OfferParams,
        response: { 200: Type.Object({ plans: Type.Array(PlanView) }) },
      },
    },
    async (request) => ({
      plans: await listPlans(deps, partnerOf(request).publisherId, request.params.offerId),
    }),
  );
}
