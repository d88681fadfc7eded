import type { CatalogSnapshot } from "../storage/store.js";
import type { CatalogDocument } from "../to-domain.js";
import { field, type Issue, issue, item } from "../validation/issues.js";

/**
 * Rules a catalog file can only break against what the database already holds: a tenant + app pair
 * owned by a publisher the file does not describe, a pricing-model change on an offer that has plans,
 * and a public plan turned private (spec §8 allows only private → public).
 */
export function conflictsWithStoredCatalog(document: CatalogDocument, stored: CatalogSnapshot): Issue[] {
  const found: Issue[] = [];
  const offers = new Map(stored.offers.map(({ value }) => [`${value.publisherId}/${value.offerId}`, value]));
  const plans = new Map(
    stored.plans.map(({ value }) => [`${value.publisherId}/${value.offerId}/${value.planId}`, value]),
  );
  const offersWithPlans = new Set(stored.plans.map(({ value }) => `${value.publisherId}/${value.offerId}`));

  document.publishers.forEach((publisher, publisherIndex) => {
    const publisherPath = item("publishers", publisherIndex);
    const owner = stored.publishers.find(
      (candidate) =>
        candidate.tenantId === publisher.tenantId &&
        candidate.appId === publisher.appId &&
        candidate.id !== publisher.id,
    );
    const ownerMovesAway = document.publishers.some(
      (other) => other.id === owner?.id && (other.tenantId !== owner.tenantId || other.appId !== owner.appId),
    );
    if (owner && !ownerMovesAway) {
      found.push(
        issue(
          field(field(publisherPath, "technicalConfiguration"), "appId"),
          "publisher.app.taken",
          `this tenant id and app id already belong to publisher "${owner.id}"; an Entra app identifies exactly one publisher`,
        ),
      );
    }
    publisher.offers.forEach(({ offer, plans: desiredPlans }, offerIndex) => {
      const offerPath = item(field(publisherPath, "offers"), offerIndex);
      const key = `${publisher.id}/${offer.offerId}`;
      const storedOffer = offers.get(key);
      if (storedOffer && storedOffer.pricingModel !== offer.pricingModel && offersWithPlans.has(key)) {
        found.push(
          issue(
            field(offerPath, "pricingModel"),
            "offer.pricingModel.immutable",
            `the offer already has plans priced ${storedOffer.pricingModel}; the pricing model cannot change once an offer has plans`,
          ),
        );
      }
      desiredPlans.forEach((plan, planIndex) => {
        const storedPlan = plans.get(`${key}/${plan.planId}`);
        if (storedPlan && !storedPlan.isPrivate && plan.isPrivate) {
          found.push(
            issue(
              field(item(field(offerPath, "plans"), planIndex), "private"),
              "plan.private.fromPublic",
              "the plan is already public; a public plan cannot become private (only private → public is allowed)",
            ),
          );
        }
      });
    });
  });
  return found;
}
