import { type Static, type TLiteral, type TUnion, Type } from "@sinclair/typebox";
import { type PaymentOption, type PricingModel, paymentOptions, type TermUnit, termUnits } from "./model.js";

/**
 * The shape of the catalog vocabulary, shared by catalog files and the Partner and Operator APIs:
 * a plan posted to the API is written exactly like a plan in a catalog file. These schemas check
 * only shapes and types; the rules (formats, limits, combinations) live in validation/.
 */

function oneOf<T extends string>(values: readonly T[]): TUnion<TLiteral<T>[]> {
  return Type.Union(values.map((value) => Type.Literal(value)));
}

const strict = { additionalProperties: false } as const;

/** Money and quantities: a decimal string ("49.99") or a plain number; stored as exact text. */
export const DecimalInput = Type.Union([Type.String(), Type.Number()], {
  description: 'A decimal as a string ("49.99") or a number; never stored as a float.',
});

export const TermUnitInput = oneOf<TermUnit>(termUnits);
export const PaymentOptionInput = oneOf<PaymentOption>(paymentOptions);
export const PricingModelInput = oneOf<PricingModel>(["flatRate", "perUser"]);

export const BillingTermInput = Type.Object(
  {
    termUnit: TermUnitInput,
    price: DecimalInput,
    currency: Type.Optional(Type.String({ description: "ISO 4217 code; default USD." })),
    paymentOption: Type.Optional(PaymentOptionInput),
  },
  strict,
);

export const MeteredDimensionInput = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    unitOfMeasure: Type.String(),
    pricePerUnit: DecimalInput,
    currency: Type.Optional(Type.String()),
    includedQuantity: Type.Optional(
      Type.Record(Type.String(), DecimalInput, {
        description: 'Included units per term unit (e.g. {"P1M": "1000"}); "unlimited" never charges.',
      }),
    ),
  },
  strict,
);

export const SeatsInput = Type.Object(
  { min: Type.Optional(Type.Integer()), max: Type.Optional(Type.Integer()) },
  { ...strict, description: "Seat limits of a per-user plan; default 1 to 1,000,000." },
);

const planProperties = {
  id: Type.String(),
  displayName: Type.String(),
  description: Type.Optional(Type.String()),
  private: Type.Optional(Type.Boolean()),
  audience: Type.Optional(Type.Array(Type.String(), { description: "Tenant ids that see a private plan." })),
  seats: Type.Optional(SeatsInput),
  freeTrial: Type.Optional(Type.Boolean()),
  stopSell: Type.Optional(Type.Boolean()),
  markets: Type.Optional(Type.Array(Type.String(), { description: "ISO 3166 alpha-2 codes; default [US]." })),
  allowExtendedTerms: Type.Optional(Type.Boolean({ description: "Allow P4Y and P5Y terms." })),
  autoActivation: Type.Optional(
    Type.Boolean({
      description:
        "Purchases are Subscribed at once and announced with a Subscribe webhook (no landing page, no activate).",
    }),
  ),
  billingTerms: Type.Array(BillingTermInput),
  meteredDimensions: Type.Optional(Type.Array(MeteredDimensionInput)),
};

export const PlanInput = Type.Object(planProperties, strict);

/** PATCH body of a plan: any plan field except the id; `seats: null` removes the seat limits. */
export const PlanPatchInput = Type.Object(
  {
    ...Type.Partial(Type.Omit(Type.Object(planProperties), ["id", "seats"])).properties,
    seats: Type.Optional(Type.Union([SeatsInput, Type.Null()])),
  },
  strict,
);

const offerFieldProperties = {
  id: Type.String(),
  displayName: Type.String(),
  description: Type.Optional(Type.String()),
  pricingModel: PricingModelInput,
  preview: Type.Optional(Type.Boolean()),
};

export const OfferFieldsInput = Type.Object(offerFieldProperties, strict);
export const OfferInput = Type.Object(
  { ...offerFieldProperties, plans: Type.Optional(Type.Array(PlanInput)) },
  strict,
);
export const OfferPatchInput = Type.Partial(Type.Omit(OfferFieldsInput, ["id"]), strict);

export const TechnicalConfigurationInput = Type.Object(
  {
    tenantId: Type.String(),
    appId: Type.String(),
    landingPageUrl: Type.String(),
    webhookUrl: Type.String(),
  },
  strict,
);
export const TechnicalConfigurationPatchInput = Type.Partial(TechnicalConfigurationInput, strict);

export const CredentialsInput = Type.Object(
  {
    clientSecrets: Type.Optional(Type.Array(Type.String())),
    certificates: Type.Optional(
      Type.Array(Type.String(), { description: "PEM certificates or SPKI public keys." }),
    ),
  },
  strict,
);

const publisherFieldProperties = {
  id: Type.String(),
  displayName: Type.Optional(Type.String()),
  technicalConfiguration: TechnicalConfigurationInput,
  credentials: Type.Optional(CredentialsInput),
};

export const PublisherFieldsInput = Type.Object(publisherFieldProperties, strict);
export const PublisherInput = Type.Object(
  { ...publisherFieldProperties, offers: Type.Optional(Type.Array(OfferInput)) },
  strict,
);

export const CatalogInput = Type.Object({ publishers: Type.Array(PublisherInput) }, strict);

export type BillingTermInput = Static<typeof BillingTermInput>;
export type MeteredDimensionInput = Static<typeof MeteredDimensionInput>;
export type PlanInput = Static<typeof PlanInput>;
export type PlanPatchInput = Static<typeof PlanPatchInput>;
export type OfferFieldsInput = Static<typeof OfferFieldsInput>;
export type OfferInput = Static<typeof OfferInput>;
export type OfferPatchInput = Static<typeof OfferPatchInput>;
export type TechnicalConfigurationInput = Static<typeof TechnicalConfigurationInput>;
export type TechnicalConfigurationPatchInput = Static<typeof TechnicalConfigurationPatchInput>;
export type CredentialsInput = Static<typeof CredentialsInput>;
export type PublisherFieldsInput = Static<typeof PublisherFieldsInput>;
export type PublisherInput = Static<typeof PublisherInput>;
export type CatalogInput = Static<typeof CatalogInput>;
