import type { Updateable } from "kysely";
import type { LifecycleSettings } from "../config/settings.js";
import type { SubscriptionTable } from "../db/tables.js";
import type { LifecycleEvent } from "../subscriptions/lifecycle/commit.js";
import type { TimedTransition, TimedTransitionKind } from "../subscriptions/lifecycle/timers.js";
import type { SubscriptionRow } from "../subscriptions/repository.js";

/** Why a timed transition ended a subscription (the `reason` of its Unsubscribed event). */
export const unsubscribeReasons = {
  expire: "termEnded",
  endGrace: "gracePeriodEnded",
  expirePending: "neverActivated",
} as const satisfies Partial<Record<TimedTransitionKind, string>>;

/** Which counter of a clock move a transition adds to. */
export type TransitionCounter = "renewed" | "trialsConverted" | "unsubscribed";

export const counterOf: Record<TimedTransitionKind, TransitionCounter> = {
  renew: "renewed",
  convertTrial: "trialsConverted",
  expire: "unsubscribed",
  endGrace: "unsubscribed",
  expirePending: "unsubscribed",
};

/** The event type each transition records. */
export const eventTypeOf: Record<TimedTransitionKind, string> = {
  renew: "Renewed",
  convertTrial: "TrialConverted",
  expire: "Unsubscribed",
  endGrace: "Unsubscribed",
  expirePending: "Unsubscribed",
};

/**
 * The event (and webhook) a timed transition records. It is dated when it was due, not when the
 * scheduler got to it, so a catch-up after downtime keeps each transition at its own time.
 * `operationId` is the id of the Succeeded operation recorded with it, which the webhook carries.
 */
export function timedEvent(
  row: Pick<SubscriptionRow, "plan_id" | "quantity">,
  transition: TimedTransition,
  changes: Updateable<SubscriptionTable>,
  policy: Pick<LifecycleSettings, "trialConversionWebhook">,
  operationId: string,
): LifecycleEvent {
  const base = {
    type: eventTypeOf[transition.kind],
    actor: "marketplace" as const,
    occurredAt: transition.at,
    idempotencyKey: transition.idempotencyKey,
    operationId:
      policy.trialConversionWebhook === "none" && transition.kind === "convertTrial" ? null : operationId,
  };
  const notice = (action: "Renew" | "Unsubscribe") => ({
    action,
    operationId,
    status: "Succeeded" as const,
    source: "Azure" as const,
    planId: row.plan_id,
    quantity: row.quantity,
    snapshot: "after" as const,
  });
  switch (transition.kind) {
    case "renew":
      return {
        ...base,
        data: { termStartDate: changes.term_start, termEndDate: changes.term_end },
        webhook: notice("Renew"),
      };
    case "convertTrial":
      return {
        ...base,
        data: { termStartDate: changes.term_start, termEndDate: changes.term_end },
        ...(policy.trialConversionWebhook === "none" ? {} : { webhook: notice("Renew") }),
      };
    case "expire":
    case "endGrace":
    case "expirePending":
      return {
        ...base,
        data: { reason: unsubscribeReasons[transition.kind] },
        webhook: notice("Unsubscribe"),
      };
  }
}
