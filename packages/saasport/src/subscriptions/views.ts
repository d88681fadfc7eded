import type { PricingModel } from "../catalog/model.js";
import type { Settings } from "../config/settings.js";
import { nextTimedTransition } from "./lifecycle/timers.js";
import type { OperationRow, SubscriptionRow } from "./repository.js";
import { wireOperation, wireSubscription } from "./wire-format.js";

/**
 * A subscription as the store and the operator see it: the Fulfillment API shape plus what the
 * marketplace knows besides (channel, payment option, test clock, what happens next and when).
 */
export function subscriptionView(
  row: SubscriptionRow,
  pricingModel: PricingModel,
  settings: Pick<Settings, "fidelity" | "lifecycle">,
  pending?: OperationRow,
): Record<string, unknown> {
  const next = nextTimedTransition(row, settings.lifecycle);
  return {
    ...wireSubscription(row, pricingModel, settings.fidelity),
    channel: row.channel,
    paymentOption: row.payment_option,
    market: row.market,
    testClock: row.test_clock === "" ? null : row.test_clock,
    activated: row.activated_at,
    suspended: row.suspended_at,
    unsubscribed: row.unsubscribed_at,
    refundWindowEnds: row.refund_window_ends_at,
    nextTransition: next ? { kind: next.kind, at: next.at } : null,
    pendingOperation: pending ? wireOperation(pending, row, pricingModel) : null,
    eventSeq: row.event_seq,
  };
}
