import type { TermUnit } from "../../catalog/model.js";
import { unlimitedQuantity } from "../../catalog/validation/plan-rules.js";
import { BillingError } from "./errors.js";
import {
  compareRatios,
  formatDecimal,
  multiplyRatios,
  parseDecimal,
  type Ratio,
  subtractRatios,
  zeroRatio,
} from "./exact.js";
import { type Money, roundToMoney } from "./money.js";

export interface UsageMonth {
  /** The billing month's label (the ledger's choice, e.g. "2025-03"); carried through unchanged. */
  month: string;
  /** Total usage of the dimension in the month, an exact decimal ("1350", "20.5"). */
  quantity: string;
}

export interface OverageLine {
  month: string;
  used: string;
  /** How much of the included quantity this month's usage consumed, or "unlimited". */
  includedApplied: string;
  billable: string;
  unitPrice: string;
  amount: Money;
}

/**
 * Metered overage per billing month of one term (spec §7.4). On a monthly (P1M) term each month is its
 * own term, so the included quantity starts afresh each month. On a year or longer the included quantity
 * is one allowance for the whole term, counted from activation; once it is used up every further unit is
 * billed in the month it was used, until the term ends. An included quantity of "unlimited" is never
 * charged; one the dimension does not list for the term is zero. Each month's amount is billable × unit
 * price, rounded once.
 */
export function meteredOverage(input: {
  termUnit: TermUnit;
  /** The dimension's includedQuantity[termUnit]: a decimal, "unlimited", or undefined (none included). */
  includedQuantity: string | undefined;
  /** Price per unit after any private price (meterUnitPrice), an exact decimal. */
  unitPrice: string;
  currency: string;
  /** The term's billing months in order (for P1M: consecutive one-month terms). */
  months: readonly UsageMonth[];
}): OverageLine[] {
  const unlimited = input.includedQuantity?.toLowerCase() === unlimitedQuantity;
  const included = unlimited ? zeroRatio : quantity(input.includedQuantity ?? "0", "included quantity");
  const unitPrice = parseDecimal(input.unitPrice);
  if (unitPrice.numerator < 0n) throw new BillingError("invalidAmount", "a unit price cannot be negative");
  let allowance = included;
  return input.months.map((month) => {
    const used = quantity(month.quantity, `usage of ${month.month}`);
    if (input.termUnit === "P1M") allowance = included;
    const applied = unlimited ? used : minimum(used, allowance);
    const billable = subtractRatios(used, applied);
    allowance = subtractRatios(allowance, minimum(used, allowance));
    return {
      month: month.month,
      used: formatDecimal(used),
      includedApplied: unlimited ? unlimitedQuantity : formatDecimal(applied),
      billable: formatDecimal(billable),
      unitPrice: input.unitPrice,
      amount: roundToMoney(input.currency, multiplyRatios(billable, unitPrice)),
    };
  });
}

function quantity(text: string, what: string): Ratio {
  const value = parseDecimal(text);
  if (value.numerator < 0n) throw new BillingError("invalidQuantity", `the ${what} cannot be negative`);
  return value;
}

function minimum(a: Ratio, b: Ratio): Ratio {
  return compareRatios(a, b) <= 0 ? a : b;
}
