import { moneyRules, normalizeDecimal, quantityRules, unitPriceRules } from "../decimal.js";
import type { BillingTermInput, MeteredDimensionInput, PlanInput } from "../input-schema.js";
import {
  allowedPaymentOptions,
  extendedTermUnits,
  type PricingModel,
  planIdPattern,
  type TermUnit,
  termUnits,
} from "../model.js";
import { defaultCurrency, isCurrencyCode, isGuid, isMarketCode } from "../reference-data.js";
import { field, type Issue, issue, item, type Located } from "./issues.js";
import { catalogLimits } from "./limits.js";
import { displayNameIssues, duplicateIssues, maxLengthIssues } from "./text-rules.js";

export interface PlanRuleContext {
  /** The offer's pricing model; undefined when the offer itself is malformed (model rules are skipped). */
  pricingModel: PricingModel | undefined;
}

export const idFormatMessage =
  "must be 1 to 50 characters: lowercase letters, digits, '-' and '_', starting with a letter or digit";
export const unlimitedQuantity = "unlimited";

/** Every rule on a single plan. Rules that span the plans of an offer are in offer-rules.ts. */
export function validatePlan(plan: Located<PlanInput>, context: PlanRuleContext): Issue[] {
  const { value, path } = plan;
  return [
    ...(planIdPattern.test(value.id)
      ? []
      : [issue(field(path, "id"), "plan.id.format", `plan id ${idFormatMessage}`)]),
    ...displayNameIssues(
      value.displayName,
      field(path, "displayName"),
      "plan.displayName",
      catalogLimits.planDisplayName,
    ),
    ...maxLengthIssues(
      value.description ?? "",
      field(path, "description"),
      "plan.description.length",
      catalogLimits.planDescription,
    ),
    ...audienceIssues(plan),
    ...seatIssues(plan, context),
    ...freeTrialIssues(plan),
    ...marketIssues(plan),
    ...billingTermIssues(plan),
    ...dimensionIssues(plan, context),
    ...currencyConsistencyIssues(plan),
  ];
}

function audienceIssues({ value, path }: Located<PlanInput>): Issue[] {
  const audience = value.audience ?? [];
  const audiencePath = field(path, "audience");
  if (!value.private) {
    if (audience.length === 0) return [];
    return [
      issue(
        audiencePath,
        "plan.audience.publicPlan",
        "only a private plan has an audience; set private: true or remove the audience",
      ),
    ];
  }
  if (audience.length === 0) {
    return [
      issue(
        audiencePath,
        "plan.audience.missing",
        "a private plan needs at least one buyer tenant id in its audience",
      ),
    ];
  }
  const found: Issue[] = [];
  if (audience.length > catalogLimits.audienceSize) {
    found.push(
      issue(
        audiencePath,
        "plan.audience.size",
        `may list at most ${catalogLimits.audienceSize.toLocaleString("en-US")} tenants`,
      ),
    );
  }
  audience.forEach((tenantId, index) => {
    if (!isGuid(tenantId)) {
      found.push(
        issue(
          item(audiencePath, index),
          "plan.audience.tenantId",
          "must be a tenant id (a GUID such as 00000000-0000-0000-0000-000000000000)",
        ),
      );
    }
  });
  found.push(
    ...duplicateIssues(
      audience,
      (tenantId) => (isGuid(tenantId) ? tenantId.toLowerCase() : undefined),
      (index) => item(audiencePath, index),
      "plan.audience.duplicate",
      (tenantId, first) => `tenant ${tenantId} is already listed at ${first}`,
    ),
  );
  return found;
}

function seatIssues({ value, path }: Located<PlanInput>, { pricingModel }: PlanRuleContext): Issue[] {
  const seats = value.seats;
  if (!seats || pricingModel === undefined) return [];
  const seatsPath = field(path, "seats");
  if (pricingModel !== "perUser") {
    return [
      issue(
        seatsPath,
        "plan.seats.flatRate",
        "seat limits apply only to plans of a per-user offer; remove seats",
      ),
    ];
  }
  const found: Issue[] = [];
  const inRange = (count: number) => count >= 1 && count <= catalogLimits.maxSeats;
  const range = `between 1 and ${catalogLimits.maxSeats.toLocaleString("en-US")}`;
  if (seats.min !== undefined && !inRange(seats.min)) {
    found.push(
      issue(field(seatsPath, "min"), "plan.seats.min", `the minimum number of seats must be ${range}`),
    );
  }
  if (seats.max !== undefined && !inRange(seats.max)) {
    found.push(
      issue(field(seatsPath, "max"), "plan.seats.max", `the maximum number of seats must be ${range}`),
    );
  }
  const min = seats.min ?? 1;
  const max = seats.max ?? catalogLimits.maxSeats;
  if (found.length === 0 && min > max) {
    found.push(
      issue(
        seatsPath,
        "plan.seats.order",
        `the minimum (${min}) must not exceed the maximum (${max}) number of seats`,
      ),
    );
  }
  return found;
}

function freeTrialIssues({ value, path }: Located<PlanInput>): Issue[] {
  if (!value.freeTrial || (value.meteredDimensions ?? []).length === 0) return [];
  return [
    issue(
      field(path, "freeTrial"),
      "plan.freeTrial.metered",
      "a plan with a free trial cannot have metered dimensions",
    ),
  ];
}

function marketIssues({ value, path }: Located<PlanInput>): Issue[] {
  if (value.markets === undefined) return [];
  const marketsPath = field(path, "markets");
  if (value.markets.length === 0) {
    return [
      issue(marketsPath, "plan.markets.empty", "must list at least one market (omit it to sell in US only)"),
    ];
  }
  const found: Issue[] = [];
  value.markets.forEach((market, index) => {
    if (!isMarketCode(market.toUpperCase())) {
      found.push(
        issue(
          item(marketsPath, index),
          "plan.markets.code",
          `"${market}" is not an ISO 3166 alpha-2 country code such as US or DE`,
        ),
      );
    }
  });
  found.push(
    ...duplicateIssues(
      value.markets,
      (market) => market.toUpperCase(),
      (index) => item(marketsPath, index),
      "plan.markets.duplicate",
      (market, first) => `market ${market} is already listed at ${first}`,
    ),
  );
  return found;
}

function billingTermIssues({ value, path }: Located<PlanInput>): Issue[] {
  const termsPath = field(path, "billingTerms");
  if (value.billingTerms.length === 0) {
    return [issue(termsPath, "plan.billingTerms.empty", "a plan needs at least one billing term")];
  }
  const found: Issue[] = [];
  value.billingTerms.forEach((term, index) => {
    found.push(...billingTermItemIssues(term, item(termsPath, index), value.allowExtendedTerms === true));
  });
  found.push(
    ...duplicateIssues(
      value.billingTerms,
      (term) => term.termUnit,
      (index) => field(item(termsPath, index), "termUnit"),
      "plan.billingTerms.duplicateTerm",
      (termUnit, first) =>
        `term ${termUnit} is already offered at ${first}; each term unit appears at most once per plan`,
    ),
  );
  return found;
}

function billingTermItemIssues(term: BillingTermInput, path: string, allowExtendedTerms: boolean): Issue[] {
  const found: Issue[] = [];
  if (extendedTermUnits.includes(term.termUnit) && !allowExtendedTerms) {
    found.push(
      issue(
        field(path, "termUnit"),
        "plan.billingTerms.extendedTerm",
        `${term.termUnit} terms need allowExtendedTerms: true on the plan (the official .NET client cannot read them)`,
      ),
    );
  }
  const price = normalizeDecimal(term.price, moneyRules);
  if (!price.ok) found.push(issue(field(path, "price"), "plan.billingTerms.price", `price ${price.problem}`));
  found.push(...currencyIssues(term.currency, field(path, "currency"), "plan.billingTerms.currency"));
  const paymentOption = term.paymentOption ?? "upfront";
  const allowed = allowedPaymentOptions[term.termUnit];
  if (!allowed.includes(paymentOption)) {
    found.push(
      issue(
        field(path, "paymentOption"),
        "plan.billingTerms.paymentOption",
        `payment option ${paymentOption} is not available for a ${term.termUnit} term (allowed: ${allowed.join(", ")})`,
      ),
    );
  }
  return found;
}

function currencyIssues(currency: string | undefined, path: string, rule: string): Issue[] {
  if (currency === undefined || isCurrencyCode(currency.toUpperCase())) return [];
  return [issue(path, rule, `"${currency}" is not an ISO 4217 currency code such as USD or EUR`)];
}

function dimensionIssues({ value, path }: Located<PlanInput>, { pricingModel }: PlanRuleContext): Issue[] {
  const dimensions = value.meteredDimensions ?? [];
  if (dimensions.length === 0) return [];
  const dimensionsPath = field(path, "meteredDimensions");
  if (pricingModel === "perUser") {
    return [
      issue(
        dimensionsPath,
        "plan.dimensions.perUser",
        "metered dimensions are only available on flat-rate offers",
      ),
    ];
  }
  const offeredTerms = new Set(value.billingTerms.map((term) => term.termUnit));
  const found: Issue[] = [];
  dimensions.forEach((dimension, index) => {
    found.push(...dimensionItemIssues(dimension, item(dimensionsPath, index), offeredTerms));
  });
  found.push(
    ...duplicateIssues(
      dimensions,
      (dimension) => dimension.id,
      (index) => field(item(dimensionsPath, index), "id"),
      "plan.dimensions.duplicate",
      (id, first) => `dimension id "${id}" is already used at ${first}`,
    ),
  );
  return found;
}

function dimensionItemIssues(
  dimension: MeteredDimensionInput,
  path: string,
  offeredTerms: ReadonlySet<TermUnit>,
): Issue[] {
  const found: Issue[] = [];
  if (!planIdPattern.test(dimension.id)) {
    found.push(issue(field(path, "id"), "plan.dimensions.id", `dimension id ${idFormatMessage}`));
  }
  found.push(
    ...displayNameIssues(
      dimension.displayName,
      field(path, "displayName"),
      "plan.dimensions.displayName",
      catalogLimits.dimensionDisplayName,
    ),
    ...displayNameIssues(
      dimension.unitOfMeasure,
      field(path, "unitOfMeasure"),
      "plan.dimensions.unitOfMeasure",
      catalogLimits.unitOfMeasure,
    ),
  );
  const price = normalizeDecimal(dimension.pricePerUnit, unitPriceRules);
  if (!price.ok)
    found.push(
      issue(field(path, "pricePerUnit"), "plan.dimensions.pricePerUnit", `price per unit ${price.problem}`),
    );
  found.push(...currencyIssues(dimension.currency, field(path, "currency"), "plan.dimensions.currency"));
  for (const [termUnit, quantity] of Object.entries(dimension.includedQuantity ?? {})) {
    const quantityPath = field(field(path, "includedQuantity"), termUnit);
    if (!(termUnits as readonly string[]).includes(termUnit)) {
      found.push(
        issue(
          quantityPath,
          "plan.dimensions.includedQuantity.term",
          `"${termUnit}" is not a term unit (${termUnits.join(", ")})`,
        ),
      );
    } else if (!offeredTerms.has(termUnit as TermUnit)) {
      found.push(
        issue(
          quantityPath,
          "plan.dimensions.includedQuantity.term",
          `the plan has no ${termUnit} billing term to include a quantity in`,
        ),
      );
    }
    if (typeof quantity === "string" && quantity.toLowerCase() === unlimitedQuantity) continue;
    const normalized = normalizeDecimal(quantity, quantityRules);
    if (!normalized.ok) {
      found.push(
        issue(
          quantityPath,
          "plan.dimensions.includedQuantity.value",
          `included quantity ${normalized.problem}, or must be "unlimited"`,
        ),
      );
    }
  }
  return found;
}

/** All prices of a plan are in one currency: the buyer pays the plan in one currency. */
function currencyConsistencyIssues({ value, path }: Located<PlanInput>): Issue[] {
  const priced = [
    ...value.billingTerms.map((term, index) => ({
      currency: (term.currency ?? defaultCurrency).toUpperCase(),
      path: field(item(field(path, "billingTerms"), index), "currency"),
    })),
    ...(value.meteredDimensions ?? []).map((dimension, index) => ({
      currency: (dimension.currency ?? defaultCurrency).toUpperCase(),
      path: field(item(field(path, "meteredDimensions"), index), "currency"),
    })),
  ];
  const valid = priced.filter((entry) => isCurrencyCode(entry.currency));
  const first = valid[0];
  if (!first) return [];
  return valid
    .filter((entry) => entry.currency !== first.currency)
    .map((entry) =>
      issue(
        entry.path,
        "plan.currency.mixed",
        `currency ${entry.currency} differs from ${first.currency} at ${first.path}; all prices of a plan use one currency`,
      ),
    );
}
