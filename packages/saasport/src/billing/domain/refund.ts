import { isoDate } from "./dates.js";
import { type Money, negate, sum } from "./money.js";

export interface CancellationRefund {
  withinWindow: boolean;
  /** The refund line: minus everything charged for the term's flat price; absent outside the window. */
  refundLine?: { kind: "refund"; on: string; amount: Money };
  /**
   * Whether the term's instalments not yet due are still collected. Within the window they are dropped;
   * after it the term stays charged to its end (spec §8: instalment terms are collected for the whole term).
   */
  remainingInstalmentsDue: boolean;
}

/**
 * Cancellation. Within the refund window (72 hours from purchase by default; within means strictly
 * before the window's end, as the lifecycle's Unsubscribe event records it) every flat charge of the term
 * is credited back in full; metered usage and overage are kept. After it nothing is refunded. Either way
 * the buyer loses access at once; only the money differs.
 */
export function refundOnCancellation(input: {
  cancelledAt: Date;
  refundWindowEndsAt: Date | null;
  currency: string;
  /** The term's flat lines charged so far: instalments invoiced and proration lines. */
  flatCharges: readonly Money[];
}): CancellationRefund {
  const withinWindow =
    input.refundWindowEndsAt !== null && input.cancelledAt.getTime() < input.refundWindowEndsAt.getTime();
  if (!withinWindow) return { withinWindow, remainingInstalmentsDue: true };
  return {
    withinWindow,
    refundLine: {
      kind: "refund",
      on: isoDate(input.cancelledAt),
      amount: negate(sum(input.currency, input.flatCharges)),
    },
    remainingInstalmentsDue: false,
  };
}
