/** Marketplace limits (spec §8) and the lengths Saasport enforces on text. */
export const catalogLimits = {
  plansPerOffer: 100,
  privatePlansPerOffer: 45,
  dimensionsPerOffer: 30,
  /** The seat cap quoted by the marketplace's own error message. */
  maxSeats: 1_000_000,
  /** Tenants in a private plan's audience (Partner Center's CSV upload limit). */
  audienceSize: 20_000,
  planDisplayName: 50,
  planDescription: 3000,
  offerDisplayName: 200,
  offerDescription: 5000,
  publisherDisplayName: 100,
  dimensionDisplayName: 50,
  unitOfMeasure: 50,
  url: 2048,
  clientSecretMin: 16,
  clientSecretMax: 256,
} as const;
