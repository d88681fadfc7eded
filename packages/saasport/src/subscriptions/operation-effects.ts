import type { Updateable } from "kysely";
import type { Plan } from "../catalog/model.js";
import type { CatalogReader } from "../catalog/repository.js";
import type { SubscriptionTable } from "../db/tables.js";
import { isTrue } from "../db/time.js";
import { termStartingOn } from "./lifecycle/timers.js";
import type { OperationRow, SubscriptionRow } from "./repository.js";
import { startOfUtcDay } from "./term-dates.js";

/**
 * What a succeeded operation does to its subscription. Pure: the caller writes the changes in the
 * same transaction that marks the operation Succeeded. `now` is on the subscription's clock.
 */
export function effectOfOperation(
  operation: Pick<OperationRow, "action" | "plan_id" | "quantity">,
  subscription: Pick<SubscriptionRow, "is_free_trial" | "status" | "term_unit">,
  targetPlan: Pick<Plan, "hasFreeTrial"> | undefined,
  now: string,
): Updateable<SubscriptionTable> {
  switch (operation.action) {
    case "ChangePlan": {
      // Moving to a plan without a trial ends the trial and starts the paid term today; between trial
      // plans the trial clock keeps running.
      const trialContinues = isTrue(subscription.is_free_trial) && Boolean(targetPlan?.hasFreeTrial);
      const trialEnds = isTrue(subscription.is_free_trial) && !trialContinues;
      return {
        plan_id: operation.plan_id,
        // The seats the change was started with: unchanged, unless plan and seats changed together.
        ...(operation.quantity === null ? {} : { quantity: operation.quantity }),
        is_free_trial: trialContinues ? 1 : 0,
        ...(trialEnds
          ? { ...termStartingOn(startOfUtcDay(new Date(now)), subscription.term_unit), trial_ends_at: null }
          : {}),
        updated_at: now,
      };
    }
    case "ChangeQuantity":
      return { quantity: operation.quantity, updated_at: now };
    case "Unsubscribe":
      return { status: "Unsubscribed", unsubscribed_at: now, updated_at: now };
    case "Suspend":
      return { status: "Suspended", suspended_at: now, updated_at: now };
    case "Reinstate":
      return { status: "Subscribed", suspended_at: null, updated_at: now };
    case "Renew":
      return { updated_at: now };
  }
}

/** The event-log type of a succeeded operation. */
export function eventTypeOfOperation(action: OperationRow["action"]): string {
  const types: Record<OperationRow["action"], string> = {
    ChangePlan: "PlanChanged",
    ChangeQuantity: "QuantityChanged",
    Unsubscribe: "Unsubscribed",
    Suspend: "Suspended",
    Reinstate: "Reinstated",
    Renew: "Renewed",
  };
  return types[action];
}

/**
 * The plan a ChangePlan moves to (its trial flag decides whether a trial continues). Read it before the
 * write transaction: on SQLite a query outside the transaction would wait for the transaction to end.
 */
export async function targetPlanOf(
  catalog: Pick<CatalogReader, "getPlan">,
  subscription: Pick<SubscriptionRow, "publisher_id" | "offer_id">,
  operation: Pick<OperationRow, "action" | "plan_id">,
): Promise<Plan | undefined> {
  if (operation.action !== "ChangePlan") return undefined;
  return catalog.getPlan(subscription.publisher_id, subscription.offer_id, operation.plan_id);
}
