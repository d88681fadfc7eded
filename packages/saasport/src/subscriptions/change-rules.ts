import { isPlanVisibleTo, type Plan, seatLimits } from "../catalog/model.js";
import { badArgument } from "../http/errors.js";
import type { SubscriptionRow } from "./repository.js";

/**
 * Whether a plan or seat change is valid for a subscription, whoever asks (publisher PATCH, buyer,
 * operator). Failures are 400s with the wording the live API uses. `newSeats`: the seats asked for with
 * the plan, where plan and quantity may change together (`planAndQuantity: "allow"`); otherwise the
 * subscription's seats must fit the new plan.
 */
export function checkPlanChange(
  row: SubscriptionRow,
  plan: Plan | undefined,
  perUser: boolean,
  newSeats?: number,
): void {
  if (!plan || !isPlanVisibleTo(plan, row.beneficiary_tenant_id) || !plan.markets.includes(row.market)) {
    throw badArgument("planId", "Request Plan is NOT in Catalog.");
  }
  if (plan.planId === row.plan_id) {
    throw badArgument(
      "planId",
      `SaaS subscription ${row.name} is already subscribed to plan ${row.plan_id}. Changing plans only supported between two different plans`,
    );
  }
  if (plan.isStopSell) throw badArgument("planId", `Plan ${plan.planId} is no longer sold.`);
  if (!plan.billingTerms.some((term) => term.termUnit === row.term_unit)) {
    throw badArgument(
      "planId",
      `Plan ${plan.planId} has no ${row.term_unit} billing term, the subscription's term.`,
    );
  }
  if (!perUser) return;
  const { min, max } = seatLimits(plan);
  const fits = (seats: number) => seats >= min && seats <= max;
  if (newSeats !== undefined) {
    if (!fits(newSeats))
      throw badArgument("quantity", `Plan ${plan.planId} allows ${min} to ${max} seats, not ${newSeats}.`);
  } else if (row.quantity !== null && !fits(row.quantity)) {
    throw badArgument(
      "planId",
      `Plan ${plan.planId} allows ${min} to ${max} seats but the subscription has ${row.quantity}; change the quantity first.`,
    );
  }
}

export function checkQuantityChange(row: SubscriptionRow, plan: Plan | undefined, quantity: number): void {
  if (row.quantity === quantity) {
    throw badArgument("quantity", `The subscription already has ${quantity} seats.`);
  }
  const { min, max } = seatLimits(plan ?? { minQuantity: null, maxQuantity: null });
  if (quantity > max) {
    throw badArgument(
      "quantity",
      `This purchase has failed because the number of purchased seats exceeded the maximal limit of ${max}`,
    );
  }
  if (quantity < min) throw badArgument("quantity", `The plan requires at least ${min} seats.`);
}
