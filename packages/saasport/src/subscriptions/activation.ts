import type { Transaction, Updateable } from "kysely";
import type { Database, EventActor, SubscriptionTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { type CommitDeps, type Committed, commitChange, type LifecycleEvent } from "./lifecycle/commit.js";
import { activationTimers } from "./lifecycle/timers.js";
import type { SubscriptionRow } from "./repository.js";

/** The change that activates a subscription: Subscribed, the term (or free-trial month) starting that day. */
export function activationChanges(
  row: Pick<SubscriptionRow, "term_unit" | "is_free_trial">,
  activatedAt: Date,
  now: string,
): Updateable<SubscriptionTable> {
  return {
    status: "Subscribed",
    ...activationTimers(row, activatedAt),
    activated_at: toStored(activatedAt),
    activation_requested_at: null,
    updated_at: now,
  };
}

/** The `Activated` event (activation sends no webhook), recorded once per subscription. */
export function activationEvent(
  row: Pick<SubscriptionRow, "id" | "plan_id" | "quantity" | "is_free_trial">,
  activatedAt: Date,
  actor: EventActor,
): LifecycleEvent {
  return {
    type: "Activated",
    actor,
    occurredAt: toStored(activatedAt),
    idempotencyKey: `activation:${row.id}`,
    data: { planId: row.plan_id, quantity: row.quantity, isFreeTrial: row.is_free_trial === 1 },
  };
}

/** Activates a locked Pending subscription. */
export function activate(
  trx: Transaction<Database>,
  deps: CommitDeps,
  row: SubscriptionRow,
  activatedAt: Date,
  now: string,
  actor: EventActor,
): Promise<Committed | undefined> {
  return commitChange(
    trx,
    deps,
    row,
    activationChanges(row, activatedAt, now),
    activationEvent(row, activatedAt, actor),
    undefined,
  );
}
