import { type Static, Type } from "@sinclair/typebox";
import { PaymentOptionInput, PricingModelInput, TermUnitInput } from "./input-schema.js";
import type { Offer, Plan, Publisher } from "./model.js";

/**
 * What the Partner and Operator APIs answer. A plan is shown in the same vocabulary a catalog file
 * and a POST body use, so a GET result can be edited and sent back.
 */

export const BillingTermView = Type.Object({
  termUnit: TermUnitInput,
  price: Type.String({
    description: "Exact decimal: one payment (the whole term when upfront, else one instalment).",
  }),
  currency: Type.String(),
  paymentOption: PaymentOptionInput,
});

export const MeteredDimensionView = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  unitOfMeasure: Type.String(),
  pricePerUnit: Type.String(),
  currency: Type.String(),
  includedQuantity: Type.Record(Type.String(), Type.String()),
});

export const PlanView = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  description: Type.String(),
  private: Type.Boolean(),
  audience: Type.Array(Type.String()),
  seats: Type.Union([Type.Object({ min: Type.Integer(), max: Type.Integer() }), Type.Null()]),
  freeTrial: Type.Boolean(),
  stopSell: Type.Boolean(),
  markets: Type.Array(Type.String()),
  allowExtendedTerms: Type.Boolean(),
  autoActivation: Type.Boolean(),
  billingTerms: Type.Array(BillingTermView),
  meteredDimensions: Type.Array(MeteredDimensionView),
});

export const OfferView = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  description: Type.String(),
  pricingModel: PricingModelInput,
  preview: Type.Boolean(),
  plans: Type.Array(PlanView),
});

export const TechnicalConfigurationView = Type.Object({
  publisherId: Type.String(),
  tenantId: Type.String(),
  appId: Type.String(),
  landingPageUrl: Type.String(),
  webhookUrl: Type.String(),
});

export const PublisherView = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  tenantId: Type.String(),
  appId: Type.String(),
  landingPageUrl: Type.String(),
  webhookUrl: Type.String(),
});

export type PlanView = Static<typeof PlanView>;
export type OfferView = Static<typeof OfferView>;
export type TechnicalConfigurationView = Static<typeof TechnicalConfigurationView>;
export type PublisherView = Static<typeof PublisherView>;

export function planView(plan: Plan): PlanView {
  return {
    id: plan.planId,
    displayName: plan.displayName,
    description: plan.description,
    private: plan.isPrivate,
    audience: plan.audience,
    seats:
      plan.minQuantity === null && plan.maxQuantity === null
        ? null
        : { min: plan.minQuantity ?? 1, max: plan.maxQuantity ?? 1_000_000 },
    freeTrial: plan.hasFreeTrial,
    stopSell: plan.isStopSell,
    markets: plan.markets,
    allowExtendedTerms: plan.allowExtendedTerms ?? false,
    autoActivation: plan.autoActivation ?? false,
    billingTerms: plan.billingTerms.map((term) => ({ ...term })),
    meteredDimensions: plan.meteringDimensions.map((dimension) => ({
      ...dimension,
      includedQuantity: Object.fromEntries(
        Object.entries(dimension.includedQuantity).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      ),
    })),
  };
}

export function offerView(offer: Offer, plans: readonly Plan[]): OfferView {
  return {
    id: offer.offerId,
    displayName: offer.displayName,
    description: offer.description,
    pricingModel: offer.pricingModel,
    preview: offer.isPreview,
    plans: plans.map(planView),
  };
}

export function technicalConfigurationView(publisher: Publisher): TechnicalConfigurationView {
  return {
    publisherId: publisher.id,
    tenantId: publisher.tenantId,
    appId: publisher.appId,
    landingPageUrl: publisher.landingPageUrl,
    webhookUrl: publisher.webhookUrl,
  };
}

export function publisherView(publisher: Publisher): PublisherView {
  return { ...publisher };
}

export const PublisherWithOffersView = Type.Object({
  ...PublisherView.properties,
  offers: Type.Array(OfferView),
});

export const CatalogOverviewView = Type.Object({
  /** Where the catalog came from: the shipped demo, a catalog file, or neither (built through the APIs). */
  source: Type.Union([Type.Literal("demo"), Type.Literal("file"), Type.Null()]),
  file: Type.Optional(Type.String()),
  publishers: Type.Array(PublisherWithOffersView),
});

export const CreatedPublisherView = Type.Object({
  publisher: PublisherView,
  clientSecret: Type.Optional(
    Type.String({
      description: "Generated when the request brought no credentials; shown only in this answer.",
    }),
  ),
});

export type CatalogOverviewView = Static<typeof CatalogOverviewView>;
export type CreatedPublisherView = Static<typeof CreatedPublisherView>;
