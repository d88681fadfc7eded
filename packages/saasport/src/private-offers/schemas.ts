import { Type } from "@sinclair/typebox";

const guidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const day = Type.String({ maxLength: 10, description: 'An ISO day, "2026-05-31"' });

/** Bodies are small: 10 plans at most, each with at most 30 meter prices. */
export const privateOfferBodyLimit = 32 * 1024;

const dimensionPrices = Type.Record(Type.String(), Type.String({ maxLength: 24 }), {
  description:
    'With absolutePrice, on flat-rate plans: price per unit by metering dimension id, in the plan\'s currency (at most 30; e.g. {"api-calls": "0.008"}). Dimensions not named keep their list price.',
});

export const PrivateOfferPlanInput = Type.Object(
  {
    planId: Type.String({ minLength: 1, maxLength: 50 }),
    discountPercent: Type.Optional(
      Type.String({
        maxLength: 12,
        description: 'Percentage off the list price, 0 < p < 100 ("20", "12.5")',
      }),
    ),
    absolutePrice: Type.Optional(
      Type.String({
        maxLength: 16,
        description: "Price of one payment in the plan's currency (per seat on per-user plans)",
      }),
    ),
    dimensionPrices: Type.Optional(dimensionPrices),
  },
  { additionalProperties: false },
);

export const PrivateOfferInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    offerId: Type.String({ minLength: 1, maxLength: 50 }),
    customerTenantId: Type.String({
      pattern: guidPattern,
      description: "The buyer's (or reseller's) tenant id",
    }),
    audience: Type.Optional(Type.Union([Type.Literal("customer"), Type.Literal("reseller")])),
    acceptBy: day,
    validFrom: day,
    validTo: day,
    plans: Type.Array(PrivateOfferPlanInput, { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);

export const StatusName = Type.Union([
  Type.Literal("pending"),
  Type.Literal("accepted"),
  Type.Literal("withdrawn"),
  Type.Literal("expired"),
]);

export const PrivateOfferPlanView = Type.Object({
  planId: Type.String(),
  discountPercent: Type.Optional(Type.String()),
  absolutePrice: Type.Optional(Type.String()),
  currency: Type.Optional(Type.String()),
  dimensionPrices: Type.Optional(Type.Record(Type.String(), Type.String())),
});

export const PrivateOfferView = Type.Object({
  id: Type.String(),
  publisherId: Type.String(),
  offerId: Type.String(),
  name: Type.String(),
  customerTenantId: Type.String(),
  audience: Type.String(),
  acceptBy: Type.String(),
  validFrom: Type.String(),
  validTo: Type.String(),
  status: StatusName,
  createdAt: Type.String(),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
  plans: Type.Array(PrivateOfferPlanView),
});

export const PrivateOfferList = Type.Object({ privateOffers: Type.Array(PrivateOfferView) });

export const PricedTerm = Type.Object({
  termUnit: Type.String(),
  paymentOption: Type.String(),
  currency: Type.String(),
  listPrice: Type.String({ description: "One payment at list price" }),
  privatePrice: Type.String({
    description: "One payment at the private price (a discount rounded half-even)",
  }),
});

export const PricedDimension = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  unitOfMeasure: Type.String(),
  currency: Type.String(),
  pricePerUnit: Type.String({ description: "The list price per unit" }),
  privatePricePerUnit: Type.String({
    description: "The price per unit under this offer, exact (a discount is not rounded)",
  }),
});

export const StorePrivateOfferView = Type.Object({
  id: Type.String(),
  publisherId: Type.String(),
  offerId: Type.String(),
  offerDisplayName: Type.String(),
  name: Type.String(),
  audience: Type.String(),
  acceptBy: Type.String(),
  validFrom: Type.String(),
  validTo: Type.String(),
  status: StatusName,
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  plans: Type.Array(
    Type.Object({
      planId: Type.String(),
      displayName: Type.String(),
      discountPercent: Type.Optional(Type.String()),
      absolutePrice: Type.Optional(Type.String()),
      dimensionPrices: Type.Optional(Type.Record(Type.String(), Type.String())),
      billingTerms: Type.Array(PricedTerm),
      meteringDimensions: Type.Array(PricedDimension),
    }),
  ),
});

export const StorePrivateOfferList = Type.Object({ privateOffers: Type.Array(StorePrivateOfferView) });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
export const PartnerListQuery = Type.Object({ status: Type.Optional(StatusName) });
export const StoreListQuery = Type.Object({
  tenantId: Type.Optional(
    Type.String({ pattern: guidPattern, description: "With the operator key: the buyer tenant to show" }),
  ),
});
