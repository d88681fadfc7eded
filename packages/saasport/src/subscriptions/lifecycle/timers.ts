import type { Updateable } from "kysely";
import type { TermUnit } from "../../catalog/model.js";
import type { LifecycleSettings } from "../../config/settings.js";
import type { SubscriptionTable } from "../../db/tables.js";
import { isTrue, toStored } from "../../db/time.js";
import type { SubscriptionRow } from "../repository.js";
import { addDays, termDates } from "../term-dates.js";

/**
 * The time-driven transitions of spec §6.2, as pure functions of a subscription row and the policy.
 * The scheduler asks `nextTimedTransition` when a subscription is due and applies `timedChanges`.
 */
export type TimedTransitionKind =
  /** T10: the free-trial month ended with auto-renew on; paid term starts. */
  | "convertTrial"
  /** T5: the term ended with auto-renew on; the next term starts the day after endDate. */
  | "renew"
  /** T9: the term (or trial) ended with auto-renew off; the subscription ends. */
  | "expire"
  /** T8: 30 days Suspended without payment; the subscription ends. */
  | "endGrace"
  /** T3: a purchase never activated within the configured expiry. */
  | "expirePending";

export interface TimedTransition {
  kind: TimedTransitionKind;
  /** When it is due, on the subscription's clock (ISO). */
  at: string;
  /** Deterministic: the same transition of the same subscription always has the same key. */
  idempotencyKey: string;
}

export type TimerPolicy = Pick<LifecycleSettings, "gracePeriodDays" | "pendingExpiryDays">;

type TimerFields = Pick<
  SubscriptionRow,
  | "id"
  | "status"
  | "is_free_trial"
  | "auto_renew"
  | "term_end"
  | "trial_ends_at"
  | "suspended_at"
  | "created_at"
>;

/** The next timed transition of a subscription, or undefined when none will happen on its own. */
export function nextTimedTransition(row: TimerFields, policy: TimerPolicy): TimedTransition | undefined {
  switch (row.status) {
    case "PendingFulfillmentStart": {
      if (policy.pendingExpiryDays <= 0) return undefined;
      const at = toStored(addDays(new Date(row.created_at), policy.pendingExpiryDays));
      return { kind: "expirePending", at, idempotencyKey: `pending-expiry:${row.id}` };
    }
    case "Subscribed": {
      if (isTrue(row.is_free_trial) && row.trial_ends_at) {
        return isTrue(row.auto_renew)
          ? { kind: "convertTrial", at: row.trial_ends_at, idempotencyKey: `trial-conversion:${row.id}` }
          : {
              kind: "expire",
              at: row.trial_ends_at,
              idempotencyKey: `term-end:${row.id}:${row.trial_ends_at}`,
            };
      }
      if (!row.term_end) return undefined;
      const at = toStored(addDays(new Date(row.term_end), 1));
      return isTrue(row.auto_renew)
        ? { kind: "renew", at, idempotencyKey: `renew:${row.id}:${at}` }
        : { kind: "expire", at, idempotencyKey: `term-end:${row.id}:${at}` };
    }
    case "Suspended": {
      if (!row.suspended_at) return undefined;
      const at = toStored(addDays(new Date(row.suspended_at), policy.gracePeriodDays));
      return { kind: "endGrace", at, idempotencyKey: `grace-end:${row.id}:${row.suspended_at}` };
    }
    case "Unsubscribed":
      return undefined;
  }
}

/** `next_due_at` for a row: when the scheduler must look at it next. */
export function nextDueAt(row: TimerFields, policy: TimerPolicy): string | null {
  return nextTimedTransition(row, policy)?.at ?? null;
}

/** A new term starting on `start` (a UTC midnight). */
export function termStartingOn(
  start: Date,
  termUnit: string,
): Pick<SubscriptionTable, "term_start" | "term_end"> {
  const { startDate, endDate } = termDates(start, termUnit as TermUnit);
  return { term_start: toStored(startDate), term_end: toStored(endDate) };
}

/** What a timed transition changes on the subscription, applied at `transition.at`. */
export function timedChanges(
  row: Pick<SubscriptionRow, "term_unit">,
  transition: TimedTransition,
): Updateable<SubscriptionTable> {
  const at = transition.at;
  switch (transition.kind) {
    case "renew":
      return { ...termStartingOn(new Date(at), row.term_unit), updated_at: at };
    case "convertTrial":
      return {
        ...termStartingOn(new Date(at), row.term_unit),
        is_free_trial: 0,
        trial_ends_at: null,
        updated_at: at,
      };
    case "expire":
    case "endGrace":
    case "expirePending":
      return { status: "Unsubscribed", unsubscribed_at: at, trial_ends_at: null, updated_at: at };
  }
}

/**
 * Activation: the term starts on the activation day. A free trial runs for its first month; the paid
 * term of the plan's length starts the day after the trial ends.
 */
export function activationTimers(
  row: Pick<SubscriptionRow, "term_unit" | "is_free_trial">,
  activatedAt: Date,
): Updateable<SubscriptionTable> {
  if (isTrue(row.is_free_trial)) {
    const trial = termStartingOn(activatedAt, "P1M");
    return { ...trial, trial_ends_at: toStored(addDays(new Date(trial.term_end as string), 1)) };
  }
  return { ...termStartingOn(activatedAt, row.term_unit), trial_ends_at: null };
}
