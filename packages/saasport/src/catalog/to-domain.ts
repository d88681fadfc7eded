import { type PublicKeyCredential, parsePublicKeyCredential } from "../identity/credential-pem.js";
import { type DecimalRules, moneyRules, normalizeDecimal, quantityRules, unitPriceRules } from "./decimal.js";
import type {
  BillingTermInput,
  CatalogInput,
  MeteredDimensionInput,
  OfferFieldsInput,
  PlanInput,
  PublisherInput,
} from "./input-schema.js";
import {
  type BillingTerm,
  type MeteringDimension,
  type Offer,
  type Plan,
  type PricingModel,
  termUnits,
} from "./model.js";
import { defaultCurrency, defaultMarkets } from "./reference-data.js";
import { catalogLimits } from "./validation/limits.js";
import { unlimitedQuantity } from "./validation/plan-rules.js";

/**
 * Turns validated input into domain values: defaults filled in, ids and codes in their canonical case,
 * prices as exact decimal strings. Call only on input that passed validation.
 */

/** A publisher as a catalog file declares it; its URLs may still hold the `${SAASPORT_URL}` placeholder. */
export interface CatalogPublisher {
  id: string;
  displayName: string;
  tenantId: string;
  appId: string;
  landingPageUrlTemplate: string;
  webhookUrlTemplate: string;
  clientSecrets: string[];
  certificates: PublicKeyCredential[];
  offers: CatalogOffer[];
}

export interface CatalogOffer {
  offer: Offer;
  plans: Plan[];
}

export interface CatalogDocument {
  publishers: CatalogPublisher[];
}

export function catalogFromInput(input: CatalogInput): CatalogDocument {
  return { publishers: input.publishers.map(publisherFromInput) };
}

function publisherFromInput(input: PublisherInput): CatalogPublisher {
  const { technicalConfiguration: technical } = input;
  return {
    id: input.id,
    displayName: input.displayName?.trim() || input.id,
    tenantId: technical.tenantId.toLowerCase(),
    appId: technical.appId.toLowerCase(),
    landingPageUrlTemplate: technical.landingPageUrl,
    webhookUrlTemplate: technical.webhookUrl,
    clientSecrets: input.credentials?.clientSecrets ?? [],
    certificates: (input.credentials?.certificates ?? []).map(certificateFromInput),
    offers: (input.offers ?? []).map((offer) => ({
      offer: offerFromInput(offer, input.id),
      plans: (offer.plans ?? []).map((plan) =>
        planFromInput(plan, { publisherId: input.id, offerId: offer.id }, offer.pricingModel),
      ),
    })),
  };
}

export function certificateFromInput(pem: string): PublicKeyCredential {
  const parsed = parsePublicKeyCredential(pem);
  if (!parsed.ok) throw new Error(`certificate was not validated: ${parsed.problem}`);
  return parsed.credential;
}

export function offerFromInput(input: OfferFieldsInput, publisherId: string): Offer {
  return {
    publisherId,
    offerId: input.id,
    displayName: input.displayName.trim(),
    description: (input.description ?? "").trim(),
    pricingModel: input.pricingModel,
    isPreview: input.preview ?? false,
  };
}

export function planFromInput(
  input: PlanInput,
  owner: { publisherId: string; offerId: string },
  pricingModel: PricingModel,
): Plan {
  const isPrivate = input.private ?? false;
  const perUser = pricingModel === "perUser";
  return {
    publisherId: owner.publisherId,
    offerId: owner.offerId,
    planId: input.id,
    displayName: input.displayName.trim(),
    description: (input.description ?? "").trim(),
    isPrivate,
    audience: isPrivate ? (input.audience ?? []).map((tenantId) => tenantId.toLowerCase()) : [],
    minQuantity: perUser ? (input.seats?.min ?? 1) : null,
    maxQuantity: perUser ? (input.seats?.max ?? catalogLimits.maxSeats) : null,
    hasFreeTrial: input.freeTrial ?? false,
    isStopSell: input.stopSell ?? false,
    markets: (input.markets ?? defaultMarkets).map((market) => market.toUpperCase()),
    billingTerms: input.billingTerms.map(billingTermFromInput),
    meteringDimensions: (input.meteredDimensions ?? []).map(dimensionFromInput),
    allowExtendedTerms: input.allowExtendedTerms ?? false,
    autoActivation: input.autoActivation ?? false,
  };
}

function billingTermFromInput(input: BillingTermInput): BillingTerm {
  return {
    termUnit: input.termUnit,
    price: exactDecimal(input.price, moneyRules),
    currency: (input.currency ?? defaultCurrency).toUpperCase(),
    paymentOption: input.paymentOption ?? "upfront",
  };
}

function dimensionFromInput(input: MeteredDimensionInput): MeteringDimension {
  const included: MeteringDimension["includedQuantity"] = {};
  // Written in term order, so the same dimension always serialises to the same JSON.
  for (const termUnit of termUnits) {
    const quantity = input.includedQuantity?.[termUnit];
    if (quantity === undefined) continue;
    included[termUnit] =
      typeof quantity === "string" && quantity.toLowerCase() === unlimitedQuantity
        ? unlimitedQuantity
        : exactDecimal(quantity, quantityRules);
  }
  return {
    id: input.id,
    displayName: input.displayName.trim(),
    unitOfMeasure: input.unitOfMeasure.trim(),
    pricePerUnit: exactDecimal(input.pricePerUnit, unitPriceRules),
    currency: (input.currency ?? defaultCurrency).toUpperCase(),
    includedQuantity: included,
  };
}

function exactDecimal(raw: string | number, rules: DecimalRules): string {
  const result = normalizeDecimal(raw, rules);
  if (!result.ok) throw new Error(`decimal was not validated: ${result.problem}`);
  return result.value;
}
