import type { Updateable } from "kysely";
import type { Plan } from "../catalog/model.js";
import type { CatalogReader } from "../catalog/repository.js";
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
