import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { readCatalogText } from "../../src/catalog/catalog-file.js";
import { PlanInput, PlanPatchInput } from "../../src/catalog/input-schema.js";
import { planFromInput } from "../../src/catalog/to-domain.js";
import { PlanView, planView } from "../../src/catalog/views.js";
import { validCatalog } from "./support/catalog-builders.js";

describe("plan views", () => {
  const catalog = readCatalogText(JSON.stringify(validCatalog()), "json", "inline.json");
  const plans = catalog.publishers.flatMap((publisher) =>
    publisher.offers.flatMap(({ offer, plans: offerPlans }) => offerPlans.map((plan) => ({ offer, plan }))),
  );

  it.each(plans.map(({ offer, plan }) => [`${offer.offerId}/${plan.planId}`, offer, plan] as const))(
    "shows %s in the input vocabulary, so a view can be posted back unchanged",
    (_name, offer, plan) => {
      const view = planView(plan);
      expect(Value.Check(PlanView, view)).toBe(true);
      const { seats, ...rest } = view;
      const asInput = seats === null ? rest : { ...rest, seats };
      expect(Value.Check(PlanInput, asInput)).toBe(true);
      const { id: _id, ...patch } = view;
      expect(Value.Check(PlanPatchInput, patch)).toBe(true);
      expect(planFromInput(asInput, plan, offer.pricingModel)).toEqual(plan);
    },
  );
});
