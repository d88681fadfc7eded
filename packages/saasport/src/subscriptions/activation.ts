import type { Transaction, Updateable } from "kysely";
import type { Database, EventActor, SubscriptionTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { type CommitDeps, type Committed, commitChange } from "./lifecycle/commit.js";
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

/** Activates a locked Pending subscription, with the `Activated` event (activation sends no webhook). */
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
    {
      type: "Activated",
      actor,
      occurredAt: toStored(activatedAt),
      idempotencyKey: `activation:${row.id}`,
      data: { planId: row.plan_id, quantity: row.quantity, isFreeTrial: row.is_free_trial === 1 },
    },
    undefined,
  );
}
