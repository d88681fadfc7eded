import type { FastifyInstance } from "fastify";
import { isPlanVisibleTo } from "../../catalog/model.js";
import { ApiError } from "../../http/errors.js";
import { createPrivateOfferRepository } from "../../private-offers/repository.js";
import { availablePrivateOffers, isoDay } from "../../private-offers/rules.js";
import { type FulfillmentDeps, loadOwnedSubscription, offerOf } from "../deps.js";
import { wirePlan } from "../wire-format.js";

/**
 * F5: the plans of the subscription's offer its beneficiary may hold, including the current plan.
 * Private plans only when the beneficiary tenant is in the audience; stop-sold plans are flagged.
 * A plan named by an accepted private offer of the tenant billed (the beneficiary, or the reseller on a
 * reseller purchase) is listed as private with that offer in `sourceOffers`.
 * `?planId=` narrows the answer to that plan. An unknown subscription is 404, or no plans
 * (`unknownSubscriptionPlans`).
 */
export function registerListAvailablePlans(app: FastifyInstance, deps: FulfillmentDeps): void {
  const privateOffers = createPrivateOfferRepository(deps.db);
  app.get<{ Params: { subscriptionId: string }; Querystring: { planId?: string } }>(
    "/api/saas/subscriptions/:subscriptionId/listAvailablePlans",
    async (request) => {
      const row = await loadOwnedSubscription(deps, request, request.params.subscriptionId).catch(
        (error: unknown) => {
          const empty = deps.settings.fidelity.unknownSubscriptionPlans === "empty";
          if (empty && error instanceof ApiError && error.code === "EntityNotFound") return undefined;
          throw error;
        },
      );
      if (!row) return { plans: [] };
      const offer = await offerOf(deps, row);
      const wanted =
        typeof request.query.planId === "string" && request.query.planId !== ""
          ? request.query.planId
          : undefined;
      const accepted = availablePrivateOffers(
        await privateOffers.listByCustomer(row.purchaser_tenant_id),
        { beneficiaryTenantId: row.beneficiary_tenant_id, purchaserTenantId: row.purchaser_tenant_id },
        { publisherId: row.publisher_id, offerId: row.offer_id },
        isoDay(deps.clocks.now(row.test_clock)),
      );
      const sourcesOf = (planId: string) =>
        accepted
          .filter((privateOffer) => privateOffer.plans.some((entry) => entry.planId === planId))
          .map((privateOffer) => privateOffer.id);
      const plans = (await deps.catalog.listPlans(row.publisher_id, row.offer_id)).filter(
        (plan) =>
          (plan.planId === row.plan_id ||
            ((isPlanVisibleTo(plan, row.beneficiary_tenant_id) || sourcesOf(plan.planId).length > 0) &&
              plan.markets.includes(row.market))) &&
          (wanted === undefined || plan.planId === wanted),
      );
      return {
        plans: plans.map((plan) =>
          wirePlan(plan, offer.pricingModel, row.market, deps.settings.fidelity, sourcesOf(plan.planId)),
        ),
      };
    },
  );
}
