import { BillingError } from "../../../src/billing/domain/errors.js";
import { formatMoney, type Money, parseMoney } from "../../../src/billing/domain/money.js";

export const usd = (amount: string): Money => parseMoney(amount, "USD");
export const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
export const text = (value: Money): string => formatMoney(value);

/** Runs the call and returns the BillingError it throws; fails the test when it throws nothing. */
export function billingError(run: () => unknown): BillingError {
  try {
    run();
  } catch (error) {
    if (error instanceof BillingError) return error;
    throw error;
  }
  throw new Error("expected a BillingError");
}
