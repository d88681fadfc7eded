import type { PricingModel } from "../../catalog/model.js";
import type { FidelitySettings } from "../../config/settings.js";
import type { OperationStatus } from "../../db/tables.js";
import type { SubscriptionRow } from "../repository.js";
import { dotnetTimestamp, wireOfferId, wireSubscription } from "../wire-format.js";

/** Webhook actions: the operation actions plus `Subscribe` for auto-activation plans (webhooks only). */
export type WebhookAction =
  | "ChangePlan"
  | "ChangeQuantity"
  | "Renew"
  | "Suspend"
  | "Reinstate"
  | "Unsubscribe"
  | "Subscribe";

export interface WebhookNotice {
  action: WebhookAction;
  /** The payload's `id` (the operation id; a fresh GUID for events without an operation). */
  operationId: string;
  status: OperationStatus;
  source: "Azure" | "Partner";
  /** The new plan and seats (top-level planId/quantity carry the new values). */
  planId: string;
  quantity: number | null;
  /**
   * Which snapshot `subscription` carries: the state before the change (ChangePlan, ChangeQuantity and
   * Reinstate, as the docs' examples show) or after it (Renew, Suspend, Unsubscribe, Subscribe).
   */
  snapshot: "before" | "after";
}

/**
 * The webhook body of spec §5: the operation's fields, `operationRequestSource`, the subscription
 * snapshot and `purchaseToken: null`. Top-level `quantity` is always a number (strict receivers bind
 * it to a non-nullable int): the seats on per-user plans, 1 on flat-rate plans.
 */
export function webhookPayload(
  notice: WebhookNotice,
  subscription: SubscriptionRow,
  pricingModel: PricingModel,
  timeStamp: string,
  fidelity: Pick<FidelitySettings, "lastModifiedStyle" | "flatRateQuantity">,
): Record<string, unknown> {
  return {
    id: notice.operationId,
    activityId: notice.operationId,
    publisherId: subscription.publisher_id,
    offerId: wireOfferId(subscription.offer_id, subscription.is_preview === 1),
    planId: notice.planId,
    quantity: pricingModel === "perUser" ? (notice.quantity ?? 1) : 1,
    subscriptionId: subscription.id,
    timeStamp: dotnetTimestamp(timeStamp),
    action: notice.action,
    status: notice.status,
    operationRequestSource: notice.source,
    subscription: wireSubscription(subscription, pricingModel, fidelity),
    purchaseToken: null,
  };
}
