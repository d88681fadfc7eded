import type { OfferFieldsInput, PlanInput } from "../input-schema.js";
import { offerIdPattern } from "../model.js";
import { field, type Issue, issue, item, type Located } from "./issues.js";
import { catalogLimits } from "./limits.js";
import { idFormatMessage, validatePlan } from "./plan-rules.js";
import { displayNameIssues, maxLengthIssues } from "./text-rules.js";

/** Preview purchases carry `<offerId>-preview` on the wire (spec §1.5), so no offer id may end that way. */
export const previewSuffix = "-preview";

export function validateOfferFields({ value, path }: Located<OfferFieldsInput>): Issue[] {
  const found: Issue[] = [];
  const idPath = field(path, "id");
  if (!offerIdPattern.test(value.id))
    found.push(issue(idPath, "offer.id.format", `offer id ${idFormatMessage}`));
  else if (value.id.endsWith(previewSuffix)) {
    found.push(
      issue(
        idPath,
        "offer.id.previewSuffix",
        `offer id must not end with "${previewSuffix}" (preview purchases add it)`,
      ),
    );
  }
  found.push(
    ...displayNameIssues(
      value.displayName,
      field(path, "displayName"),
      "offer.displayName",
      catalogLimits.offerDisplayName,
    ),
    ...maxLengthIssues(
      value.description ?? "",
      field(path, "description"),
      "offer.description.length",
      catalogLimits.offerDescription,
    ),
  );
  return found;
}

/** An offer and its plans: the offer's own fields, every plan, and the rules across plans. */
export function validateOffer(
  offer: Located<OfferFieldsInput> | undefined,
  plans: readonly Located<PlanInput>[],
): Issue[] {
  const pricingModel = offer?.value.pricingModel;
  return [
    ...(offer ? validateOfferFields(offer) : []),
    ...plans.flatMap((plan) => validatePlan(plan, { pricingModel })),
    ...validateOfferPlans(plans),
  ];
}

/**
 * Rules across the plans of one offer. Problems are reported on the later plan, so a plan added at the
 * end of the list (as the Partner API does) carries the blame for limits it would break.
 */
export function validateOfferPlans(plans: readonly Located<PlanInput>[]): Issue[] {
  return [...planIdUniquenessIssues(plans), ...planCountIssues(plans), ...dimensionAcrossPlansIssues(plans)];
}

function planIdUniquenessIssues(plans: readonly Located<PlanInput>[]): Issue[] {
  const seen = new Set<string>();
  const found: Issue[] = [];
  for (const { value, path } of plans) {
    if (seen.has(value.id)) {
      found.push(
        issue(
          field(path, "id"),
          "offer.plans.duplicateId",
          `plan id "${value.id}" is already used by another plan of this offer`,
        ),
      );
    }
    seen.add(value.id);
  }
  return found;
}

function planCountIssues(plans: readonly Located<PlanInput>[]): Issue[] {
  const found: Issue[] = [];
  let privatePlans = 0;
  plans.forEach(({ value, path }, index) => {
    if (index === catalogLimits.plansPerOffer) {
      found.push(
        issue(path, "offer.plans.count", `an offer has at most ${catalogLimits.plansPerOffer} plans`),
      );
    }
    if (value.private) {
      privatePlans += 1;
      if (privatePlans === catalogLimits.privatePlansPerOffer + 1) {
        found.push(
          issue(
            field(path, "private"),
            "offer.plans.privateCount",
            `an offer has at most ${catalogLimits.privatePlansPerOffer} private plans`,
          ),
        );
      }
    }
  });
  return found;
}

/**
 * A dimension id names one meter across the offer: at most 30 distinct ids, and one unit of measure
 * per id (usage events name only the dimension, so its unit cannot depend on the plan).
 */
function dimensionAcrossPlansIssues(plans: readonly Located<PlanInput>[]): Issue[] {
  const firstUse = new Map<string, { unitOfMeasure: string; planId: string }>();
  const found: Issue[] = [];
  for (const { value: plan, path } of plans) {
    (plan.meteredDimensions ?? []).forEach((dimension, index) => {
      const dimensionPath = item(field(path, "meteredDimensions"), index);
      const first = firstUse.get(dimension.id);
      if (!first) {
        firstUse.set(dimension.id, { unitOfMeasure: dimension.unitOfMeasure, planId: plan.id });
        if (firstUse.size === catalogLimits.dimensionsPerOffer + 1) {
          found.push(
            issue(
              field(dimensionPath, "id"),
              "offer.dimensions.count",
              `an offer has at most ${catalogLimits.dimensionsPerOffer} distinct metered dimensions`,
            ),
          );
        }
      } else if (first.unitOfMeasure !== dimension.unitOfMeasure && first.planId !== plan.id) {
        found.push(
          issue(
            field(dimensionPath, "unitOfMeasure"),
            "offer.dimensions.unitOfMeasure",
            `dimension "${dimension.id}" is measured in "${first.unitOfMeasure}" in plan "${first.planId}"; a dimension keeps one unit of measure in every plan of the offer`,
          ),
        );
      }
    });
  }
  return found;
}
