import { sameValue } from "../apply/same-value.js";
import type { OfferInput, OfferPatchInput } from "../input-schema.js";
import { createCatalogStore } from "../storage/store.js";
import { inCatalogTransaction, isUniqueViolation } from "../storage/transaction.js";
import { offerFromInput, planFromInput } from "../to-domain.js";
import { validateOffer, validateOfferFields } from "../validation/offer-rules.js";
import { type OfferView, offerView } from "../views.js";
import { conflict, offerNotFound, throwIfBroken } from "./api-errors.js";
import type { CatalogServiceDeps } from "./deps.js";

export async function listOffers(deps: CatalogServiceDeps, publisherId: string): Promise<OfferView[]> {
  const store = createCatalogStore(deps.db);
  const [offers, plans] = await Promise.all([store.listOffers(publisherId), store.listPlans(publisherId)]);
  return offers.map((offer) =>
    offerView(
      offer,
      plans.filter((plan) => plan.offerId === offer.offerId),
    ),
  );
}

export async function getOffer(
  deps: CatalogServiceDeps,
  publisherId: string,
  offerId: string,
): Promise<OfferView> {
  const store = createCatalogStore(deps.db);
  const offer = await store.getOffer(publisherId, offerId);
  if (!offer) throw offerNotFound(offerId);
  return offerView(offer, await store.listPlans(publisherId, offerId));
}

/** Creates an offer, with its plans if the body has any, checked by the catalog file's rules. */
export async function createOffer(
  deps: CatalogServiceDeps,
  publisherId: string,
  input: OfferInput,
): Promise<OfferView> {
  const { plans: planInputs = [], ...fields } = input;
  throwIfBroken(
    validateOffer(
      { value: fields, path: "body" },
      planInputs.map((plan, index) => ({ value: plan, path: `body.plans[${index}]` })),
    ),
  );
  const offer = offerFromInput(fields, publisherId);
  const plans = planInputs.map((plan) =>
    planFromInput(plan, { publisherId, offerId: offer.offerId }, offer.pricingModel),
  );
  const alreadyExists = () => conflict("body.id", `Offer "${offer.offerId}" already exists.`);
  try {
    return await inCatalogTransaction(deps.db, async (trx) => {
      const store = createCatalogStore(trx);
      if (await store.getOffer(publisherId, offer.offerId)) throw alreadyExists();
      const now = deps.clock.now();
      await store.insertOffer(offer, now);
      for (const [index, plan] of plans.entries()) await store.insertPlan(plan, now, index);
      return offerView(offer, plans);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists();
    throw error;
  }
}

/** Changes an offer's own fields; the pricing model is fixed once the offer has plans. */
export async function updateOffer(
  deps: CatalogServiceDeps,
  publisherId: string,
  offerId: string,
  patch: OfferPatchInput,
): Promise<OfferView> {
  return inCatalogTransaction(deps.db, async (trx) => {
    const store = createCatalogStore(trx);
    const stored = await store.getOffer(publisherId, offerId);
    if (!stored) throw offerNotFound(offerId);
    await store.lockOffer(publisherId, offerId);
    const fields = {
      id: stored.offerId,
      displayName: patch.displayName ?? stored.displayName,
      description: patch.description ?? stored.description,
      pricingModel: patch.pricingModel ?? stored.pricingModel,
      preview: patch.preview ?? stored.isPreview,
    };
    throwIfBroken(validateOfferFields({ value: fields, path: "body" }));
    const plans = await store.listPlans(publisherId, offerId);
    if (fields.pricingModel !== stored.pricingModel && plans.length > 0) {
      throw conflict(
        "body.pricingModel",
        `The offer already has plans priced ${stored.pricingModel}; the pricing model cannot change once an offer has plans.`,
      );
    }
    const updated = offerFromInput(fields, publisherId);
    if (!sameValue(updated, stored)) await store.updateOffer(updated, deps.clock.now());
    return offerView(updated, plans);
  });
}
