import { sameValue } from "../apply/same-value.js";
import type { PlanInput, PlanPatchInput } from "../input-schema.js";
import type { Offer, Plan, PricingModel } from "../model.js";
import { type CatalogStore, createCatalogStore } from "../storage/store.js";
import { inCatalogTransaction, isUniqueViolation } from "../storage/transaction.js";
import { planFromInput } from "../to-domain.js";
import type { Issue } from "../validation/issues.js";
import { validateOfferPlans } from "../validation/offer-rules.js";
import { validatePlan } from "../validation/plan-rules.js";
import { type PlanView, planView } from "../views.js";
import { conflict, offerNotFound, planNotFound, throwIfBroken } from "./api-errors.js";
import type { CatalogServiceDeps } from "./deps.js";
import { patchedPlanInput, planInputOf } from "./plan-input.js";

export async function listPlans(
  deps: CatalogServiceDeps,
  publisherId: string,
  offerId: string,
): Promise<PlanView[]> {
  const store = createCatalogStore(deps.db);
  if (!(await store.getOffer(publisherId, offerId))) throw offerNotFound(offerId);
  return (await store.listPlans(publisherId, offerId)).map(planView);
}

export async function getPlan(
  deps: CatalogServiceDeps,
  publisherId: string,
  offerId: string,
  planId: string,
): Promise<PlanView> {
  const store = createCatalogStore(deps.db);
  if (!(await store.getOffer(publisherId, offerId))) throw offerNotFound(offerId);
  const plan = await store.getPlan(publisherId, offerId, planId);
  if (!plan) throw planNotFound(offerId, planId);
  return planView(plan);
}

/** Adds a plan to an offer, checked by the catalog file's rules, including the limits across the offer's plans. */
export async function createPlan(
  deps: CatalogServiceDeps,
  publisherId: string,
  offerId: string,
  input: PlanInput,
): Promise<PlanView> {
  const alreadyExists = () => conflict("body.id", `Offer "${offerId}" already has a plan "${input.id}".`);
  try {
    return await inCatalogTransaction(deps.db, async (trx) => {
      const { store, offer, plans } = await lockedOffer(trx, publisherId, offerId);
      if (plans.some((plan) => plan.planId === input.id)) throw alreadyExists();
      throwIfBroken(planIssues(input, offer.pricingModel, plans));
      const plan = planFromInput(input, { publisherId, offerId }, offer.pricingModel);
      await store.insertPlan(plan, deps.clock.now());
      return planView(plan);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists();
    throw error;
  }
}

/** Changes some fields of a plan; the result must pass the same rules as a new plan. */
export async function updatePlan(
  deps: CatalogServiceDeps,
  publisherId: string,
  offerId: string,
  planId: string,
  patch: PlanPatchInput,
): Promise<PlanView> {
  return inCatalogTransaction(deps.db, async (trx) => {
    const { store, offer, plans } = await lockedOffer(trx, publisherId, offerId);
    const stored = plans.find((plan) => plan.planId === planId);
    if (!stored) throw planNotFound(offerId, planId);
    const merged = patchedPlanInput(stored, patch);
    throwIfBroken(
      planIssues(
        merged,
        offer.pricingModel,
        plans.filter((plan) => plan !== stored),
      ),
    );
    if (!stored.isPrivate && merged.private) {
      throw conflict(
        "body.private",
        "The plan is public; a public plan cannot become private (only private → public is allowed).",
      );
    }
    return planView(
      await saveIfChanged(deps, store, stored, planFromInput(merged, stored, offer.pricingModel)),
    );
  });
}

/** Takes a plan off sale (it stays visible to its subscriptions) or puts it back on sale. */
export async function setPlanStopSell(
  deps: CatalogServiceDeps,
  publisherId: string,
  offerId: string,
  planId: string,
  stopSell: boolean,
): Promise<PlanView> {
  return inCatalogTransaction(deps.db, async (trx) => {
    const store = createCatalogStore(trx);
    if (!(await store.getOffer(publisherId, offerId))) throw offerNotFound(offerId);
    const stored = await store.getPlan(publisherId, offerId, planId);
    if (!stored) throw planNotFound(offerId, planId);
    return planView(await saveIfChanged(deps, store, stored, { ...stored, isStopSell: stopSell }));
  });
}

async function lockedOffer(
  trx: Parameters<typeof createCatalogStore>[0],
  publisherId: string,
  offerId: string,
): Promise<{ store: CatalogStore; offer: Offer; plans: Plan[] }> {
  const store = createCatalogStore(trx);
  const offer = await store.getOffer(publisherId, offerId);
  if (!offer) throw offerNotFound(offerId);
  await store.lockOffer(publisherId, offerId);
  return { store, offer, plans: await store.listPlans(publisherId, offerId) };
}

/**
 * The plan's own rules, and the offer-wide limits with the plan placed after its siblings, so that
 * only problems the request itself causes are reported (at `body...` paths).
 */
function planIssues(candidate: PlanInput, pricingModel: PricingModel, siblings: readonly Plan[]): Issue[] {
  const located = { value: candidate, path: "body" };
  const others = siblings.map((plan) => ({ value: planInputOf(plan), path: `plans.${plan.planId}` }));
  return [
    ...validatePlan(located, { pricingModel }),
    ...validateOfferPlans([...others, located]).filter(
      (found) => found.path === "body" || found.path.startsWith("body."),
    ),
  ];
}

async function saveIfChanged(
  deps: CatalogServiceDeps,
  store: CatalogStore,
  stored: Plan,
  updated: Plan,
): Promise<Plan> {
  if (!sameValue(stored, updated)) await store.updatePlan(updated, deps.clock.now());
  return updated;
}
