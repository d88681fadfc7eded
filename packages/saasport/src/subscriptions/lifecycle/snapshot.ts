import type { SubscriptionRow } from "../repository.js";

/**
 * What the billing ledger needs to know of a subscription after an event: recorded with every event, so
 * charges can be rebuilt from the event log alone (the ledger never reads the subscription row).
 */
export interface BillingSnapshot {
  status: SubscriptionRow["status"];
  planId: string;
  /** Seats; null on flat-rate plans. */
  quantity: number | null;
  termUnit: string;
  paymentOption: string;
  /** Stored instants of the current term (UTC midnight), null before activation. */
  termStart: string | null;
  termEnd: string | null;
  isFreeTrial: boolean;
  refundWindowEndsAt: string | null;
}

export function billingSnapshot(row: SubscriptionRow): BillingSnapshot {
  return {
    status: row.status,
    planId: row.plan_id,
    quantity: row.quantity === null ? null : Number(row.quantity),
    termUnit: row.term_unit,
    paymentOption: row.payment_option,
    termStart: row.term_start,
    termEnd: row.term_end,
    isFreeTrial: Number(row.is_free_trial) === 1,
    refundWindowEndsAt: row.refund_window_ends_at ?? null,
  };
}
