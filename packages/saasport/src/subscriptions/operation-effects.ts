import type { Updateable } from "kysely";
import type { Plan } from "../catalog/model.js";
import type { SubscriptionTable } from "../db/tables.js";
import { isTrue } from "../db/time.js";
import type { OperationRow, SubscriptionRow } from "./repository.js";

/**
 * What a succeeded operation does to its subscription. Pure: the caller writes the changes in the
 * same transaction that marks the operation Succeeded.
 */
export function effectOfOperation(
  operation: Pick<OperationRow, "action" | "plan_id" | "quantity">,
  subscription: Pick<SubscriptionRow, "is_free_trial" | "status">,
  targetPlan: Pick<Plan, "hasFreeTrial"> | undefined,
  now: string,
): Updateable<SubscriptionTable> {
  switch (operation.action) {
    case "ChangePlan":
      return {
        plan_id: operation.plan_id,
        // Moving to a plan without a trial ends the trial; between trial plans the trial clock keeps running.
        is_free_trial: isTrue(subscription.is_free_trial) && targetPlan?.hasFreeTrial ? 1 : 0,
        updated_at: now,
      };
    case "ChangeQuantity":
      return { quantity: operation.quantity, updated_at: now };
    case "Unsubscribe":
      return { status: "Unsubscribed", unsubscribed_at: now, updated_at: now };
    case "Suspend":
      return { status: "Suspended", updated_at: now };
    case "Reinstate":
      return { status: "Subscribed", updated_at: now };
    case "Renew":
      return { updated_at: now };
  }
}
