/**
 * Private offers (Partner Center's "private offers", simplified): a publisher's negotiated prices for one
 * customer billing account, identified by the buyer's tenant id. A `reseller` offer names a reseller's
 * tenant and covers what that reseller buys for its customers.
 */

export type PrivateOfferAudience = "customer" | "reseller";
/** `expired` is never stored: a pending offer past its accept-by day reads as expired. */
export type PrivateOfferStatus = "pending" | "accepted" | "withdrawn" | "expired";
export type StoredPrivateOfferStatus = Exclude<PrivateOfferStatus, "expired">;

export const privateOfferStatuses: readonly PrivateOfferStatus[] = [
  "pending",
  "accepted",
  "withdrawn",
  "expired",
];

/** A plan's private price: exactly one of a discount and an absolute price. */
export type PrivatePlanPrice =
  | { planId: string; kind: "discount"; discountPercent: string }
  /**
   * The price of one payment, as the catalog's billing term price: per seat on per-user plans. It may
   * also name a price per unit (an exact decimal in `currency`) for metered dimensions of a flat-rate
   * plan; a dimension it does not name keeps its list price.
   */
  | {
      planId: string;
      kind: "absolute";
      absolutePrice: string;
      currency: string;
      dimensionPrices?: Readonly<Record<string, string>>;
    };

export interface PrivateOffer {
  id: string;
  publisherId: string;
  offerId: string;
  name: string;
  customerTenantId: string;
  audience: PrivateOfferAudience;
  /** ISO days. */
  acceptBy: string;
  validFrom: string;
  validTo: string;
  /** As stored; use `statusAt` for what a reader sees. */
  status: StoredPrivateOfferStatus;
  createdAt: string;
  updatedAt: string;
  acceptedAt: string | null;
  withdrawnAt: string | null;
  plans: PrivatePlanPrice[];
}

/** The most plans one private offer may name (Partner Center's limit). */
export const maxPlansPerPrivateOffer = 10;

/** The most metered dimensions one plan of a private offer may name a price per unit for. */
export const maxDimensionPricesPerPlan = 30;
