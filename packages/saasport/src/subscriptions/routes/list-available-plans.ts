import type { FastifyInstance } from "fastify";
import { isPlanVisibleTo } from "../../catalog/model.js";
import { type FulfillmentDeps, loadOwnedSubscription, offerOf } from "../deps.js";
import { wirePlan } from "../wire-format.js";

/**
 * F5: the plans of the subscription's offer its beneficiary may hold, including the current plan.
 * Private plans only when the beneficiary tenant is in the audience; stop-sold plans are flagged.
 * `?planId=` narrows the answer to that plan.
 */
export function registerListAvailablePlans(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.get<{ Params: { subscriptionId: string }; Querystring: { planId?: string } }>(
    "/api/saas/subscriptions/:subscriptionId/listAvailablePlans",
    async (request) => {
      const row = await loadOwnedSubscription(deps, request, request.params.subscriptionId);
      const offer = await offerOf(deps, row);
      const wanted =
        typeof request.query.planId === "string" && request.query.planId !== ""
          ? request.query.planId
          : undefined;
      const plans = (await deps.catalog.listPlans(row.publisher_id, row.offer_id)).filter(
        (plan) =>
          (plan.planId === row.plan_id ||
            (isPlanVisibleTo(plan, row.beneficiary_tenant_id) && plan.markets.includes(row.market))) &&
          (wanted === undefined || plan.planId === wanted),
      );
      return {
        plans: plans.map((plan) => wirePlan(plan, offer.pricingModel, row.market, deps.settings.fidelity)),
      };
    },
  );
}
