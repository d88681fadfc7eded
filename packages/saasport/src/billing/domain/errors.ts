export type BillingErrorCode =
  | "unknownCurrency"
  | "currencyMismatch"
  | "invalidAmount"
  | "invalidQuantity"
  | "invalidPercent"
  | "invalidAllocation"
  | "paymentOptionNotAllowed"
  | "invalidSeats"
  | "invalidChange";

/** A billing rule was broken by the input (a programming or data error, never a rounding choice). */
export class BillingError extends Error {
  constructor(
    readonly code: BillingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BillingError";
  }
}
