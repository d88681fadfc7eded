import { allowedPaymentOptions, type PaymentOption, type TermUnit } from "../../catalog/model.js";
import { addDays, addMonthsClamped, startOfUtcDay, termMonths } from "../../subscriptions/term-dates.js";
import { isoDate } from "./dates.js";
import { BillingError } from "./errors.js";
import { allocate, type Money } from "./money.js";

export interface Instalment {
  /** 1 for the first instalment of the term. */
  index: number;
  /** The billing day the instalment falls due (ISO date). */
  dueOn: string;
  /** The last day this instalment pays for (ISO date): the day before the next one is due, or the term end. */
  coversUntil: string;
  amount: Money;
}

/** How many payments a term has: 1 upfront, one per month, or one per year (spec §8's table). */
export function instalmentCount(termUnit: TermUnit, paymentOption: PaymentOption): number {
  if (!allowedPaymentOptions[termUnit].includes(paymentOption)) {
    throw new BillingError(
      "paymentOptionNotAllowed",
      `a ${termUnit} term cannot be paid ${paymentOption} (allowed: ${allowedPaymentOptions[termUnit].join(", ")})`,
    );
  }
  const months = termMonths(termUnit);
  if (paymentOption === "upfront") return 1;
  return paymentOption === "monthly" ? months : months / 12;
}

/**
 * The payment schedule of one term. The amounts sum exactly to the term price: the price is allocated in
 * equal parts and the first instalments carry the remainder cents (100.00 in 12 → four of 8.34, eight
 * of 8.33). Instalments fall due on the term start and then on the same day each following month or year,
 * clamped to the month's end (a term from Jan 31 pays on Feb 28, Mar 31, ...).
 */
export function instalments(
  termPrice: Money,
  termUnit: TermUnit,
  paymentOption: PaymentOption,
  termStart: Date,
): Instalment[] {
  const count = instalmentCount(termUnit, paymentOption);
  const monthsPerInstalment = termMonths(termUnit) / count;
  const start = startOfUtcDay(termStart);
  const amounts = allocate(termPrice, count);
  return amounts.map((amount, position) => {
    const dueOn = addMonthsClamped(start, position * monthsPerInstalment);
    const nextDueOn = addMonthsClamped(start, (position + 1) * monthsPerInstalment);
    return {
      index: position + 1,
      dueOn: isoDate(dueOn),
      coversUntil: isoDate(addDays(nextDueOn, -1)),
      amount,
    };
  });
}
