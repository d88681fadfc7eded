import type { Insertable, Transaction, Updateable } from "kysely";
import type { PricingModel } from "../../catalog/model.js";
import type { Clock } from "../../clock/clock.js";
import type { Settings } from "../../config/settings.js";
import { insertThenUpdate } from "../../db/prepared.js";
import type { Database, EventActor, EventTable, SubscriptionTable } from "../../db/tables.js";
import { toStored } from "../../db/time.js";
import { timeOrderedId } from "../../db/time-ordered-id.js";
import { enqueueDelivery, type QueuedDelivery } from "../../webhooks/outbox.js";
import type { SubscriptionRow } from "../repository.js";
import { billingSnapshot } from "./snapshot.js";
import { nextDueAt } from "./timers.js";
import { type WebhookNotice, webhookPayload } from "./webhook-payload.js";

export interface LifecycleEvent {
  /** Event log type: Purchased, Activated, PlanChanged, Renewed, Suspended, ... */
  type: string;
  actor: EventActor;
  /** On the subscription's clock. */
  occurredAt: string;
  /** Defaults to a fresh key; timed transitions pass a deterministic one so they are recorded once. */
  idempotencyKey?: string;
  operationId?: string | null;
  data?: Record<string, unknown>;
  /** When set, the publisher's webhook is notified (queued in the same transaction). */
  webhook?: WebhookNotice;
}

export interface CommitDeps {
  settings: Pick<Settings, "lifecycle" | "fidelity">;
  /** Real time, for `recorded_at` and the first delivery attempt. */
  clock: Clock;
}

export interface Committed {
  eventId: string;
  seq: number;
  row: SubscriptionRow;
  deliveryId: string | undefined;
}

/** What one change writes: the event's row and the subscription's changes, timer and sequence included. */
export interface PlannedChange {
  eventId: string;
  seq: number;
  event: Insertable<EventTable>;
  changes: Updateable<SubscriptionTable>;
  /** The subscription as it is after the change. */
  after: SubscriptionRow;
}

/** Computes what `commitChange` writes for `row` (read at its current `event_seq`), without writing it. */
export function planChange(
  deps: CommitDeps,
  row: SubscriptionRow,
  changes: Updateable<SubscriptionTable>,
  event: LifecycleEvent,
): PlannedChange {
  const seq = Number(row.event_seq) + 1;
  const eventId = timeOrderedId();
  const idempotencyKey = event.idempotencyKey ?? `event:${eventId}`;
  const merged = { ...row, ...changes } as SubscriptionRow;
  const nextDue = nextDueAt(merged, deps.settings.lifecycle);
  return {
    eventId,
    seq,
    event: {
      id: eventId,
      subscription_id: row.id,
      publisher_id: row.publisher_id,
      seq,
      type: event.type,
      actor: event.actor,
      operation_id: event.operationId ?? null,
      occurred_at: event.occurredAt,
      recorded_at: toStored(deps.clock.now()),
      idempotency_key: idempotencyKey,
      data: JSON.stringify(event.data ?? {}),
      snapshot: JSON.stringify(billingSnapshot(merged)),
      clock: row.test_clock,
    },
    changes: { ...changes, next_due_at: nextDue, event_seq: seq },
    after: { ...merged, next_due_at: nextDue, event_seq: seq },
  };
}

/**
 * The one way a subscription changes state: inside the caller's transaction (with the subscription
 * row locked), the row is updated, its timer (`next_due_at`) recomputed, the event appended to the log
 * with the next per-subscription sequence number, and the webhook queued in the outbox. Returns
 * undefined, changing nothing, when an event with the same idempotency key was already recorded.
 *
 * After the transaction commits, the caller signals `eventsRecorded`, and `deliveriesQueued` when a
 * webhook was queued.
 */
export async function commitChange(
  trx: Transaction<Database>,
  deps: CommitDeps,
  row: SubscriptionRow,
  changes: Updateable<SubscriptionTable>,
  event: LifecycleEvent,
  /** The offer's pricing model, which shapes the webhook payload; needed only when `event.webhook` is set. */
  pricingModel: PricingModel | undefined,
): Promise<Committed | undefined> {
  // The row is locked by the caller, so its next sequence number is known. The event goes in first:
  // when its idempotency key is already recorded nothing is inserted, and nothing else changes.
  const planned = planChange(deps, row, changes, event);
  const { eventId, seq, after } = planned;
  const changed = await insertThenUpdate(
    trx,
    { table: "events", row: planned.event, ignoreConflictOn: "idempotency_key" },
    { table: "subscriptions", changes: planned.changes, where: { id: row.id } },
  );
  if (!changed) return undefined;
  const delivery = deliveryOf(deps, row, planned, event, pricingModel);
  const deliveryId = delivery ? await enqueueDelivery(trx, delivery) : undefined;
  return { eventId, seq, row: after, deliveryId };
}

/** The webhook delivery a committed change queues, if its event notifies the publisher. */
export function deliveryOf(
  deps: Pick<CommitDeps, "settings">,
  row: SubscriptionRow,
  planned: PlannedChange,
  event: LifecycleEvent,
  pricingModel: PricingModel | undefined,
): QueuedDelivery | undefined {
  if (!event.webhook) return undefined;
  if (pricingModel === undefined) throw new Error(`A ${event.type} webhook needs the offer's pricing model`);
  const snapshot = event.webhook.snapshot === "before" ? row : planned.after;
  return {
    eventId: planned.eventId,
    subscriptionId: row.id,
    publisherId: row.publisher_id,
    seq: planned.seq,
    action: event.webhook.action,
    operationId: event.webhook.operationId,
    payload: webhookPayload(event.webhook, snapshot, pricingModel, event.occurredAt, deps.settings.fidelity),
    now: planned.event.recorded_at,
  };
}
