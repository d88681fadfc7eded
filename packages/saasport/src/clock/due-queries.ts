import type { Kysely, Transaction } from "kysely";
import type { Dialect } from "../db/connection.js";
import type { Database, WebhookDeliveryStatus } from "../db/tables.js";
import type { SubscriptionRow } from "../subscriptions/repository.js";
import { eventTypeOf, type TransitionCounter } from "./timed-event.js";

export interface DueSubscription {
  id: string;
  publisher_id: string;
  offer_id: string;
  next_due_at: string;
}

/** Subscriptions of a clock due at or before `upTo`, oldest due first (served by the (test_clock, next_due_at) index). */
export async function dueSubscriptions(
  db: Kysely<Database>,
  clockName: string,
  upTo: string,
  limit: number,
  excluded: readonly string[],
): Promise<DueSubscription[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .select(["id", "publisher_id", "offer_id", "next_due_at"])
    .where("test_clock", "=", clockName)
    .where("next_due_at", "<=", upTo)
    .$if(excluded.length > 0, (query) => query.where("id", "not in", excluded))
    .orderBy("next_due_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows as DueSubscription[];
}

/** How many subscriptions of a clock are still due at `upTo` (after a move: rows that could not change). */
export async function countOverdue(db: Kysely<Database>, clockName: string, upTo: string): Promise<number> {
  const row = await db
    .selectFrom("subscriptions")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("test_clock", "=", clockName)
    .where("next_due_at", "<=", upTo)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Reads and locks a batch of subscriptions in one statement. Rows are locked in id order, so
 * schedulers of several processes working on overlapping batches cannot deadlock each other.
 */
export async function lockSubscriptions(
  trx: Transaction<Database>,
  dialect: Dialect,
  ids: readonly string[],
): Promise<SubscriptionRow[]> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom("subscriptions")
    .selectAll()
    .where("id", "in", ids)
    .orderBy("id")
    .$if(dialect === "postgres", (query) => query.forUpdate())
    .execute();
}

/** Corrects a stale `next_due_at` (a row changed without recomputing its timer). */
export async function repairNextDue(
  trx: Transaction<Database>,
  id: string,
  nextDueAt: string | null,
): Promise<void> {
  await trx.updateTable("subscriptions").set({ next_due_at: nextDueAt }).where("id", "=", id).execute();
}

/** A window of a clock's business time: transitions dated after `after` up to and including `upTo`. */
export interface ClockWindow {
  clockName: string;
  after: string;
  upTo: string;
}

const timedEventTypes = [...new Set(Object.values(eventTypeOf))];

function timedEventsIn(db: Kysely<Database>, window: ClockWindow) {
  return db
    .selectFrom("events")
    .innerJoin("subscriptions", "subscriptions.id", "events.subscription_id")
    .where("subscriptions.test_clock", "=", window.clockName)
    .where("events.actor", "=", "marketplace")
    .where("events.type", "in", timedEventTypes)
    .where("events.occurred_at", ">", window.after)
    .where("events.occurred_at", "<=", window.upTo);
}

/**
 * The timed transitions recorded in a window of a clock, by kind. Counted from the event log, so the
 * answer is the same whichever process carried them out.
 */
export async function countTransitions(
  db: Kysely<Database>,
  window: ClockWindow,
): Promise<Record<TransitionCounter, number>> {
  const rows = await timedEventsIn(db, window)
    .select(["events.type as type", (eb) => eb.fn.countAll().as("count")])
    .groupBy("events.type")
    .execute();
  const counts: Record<TransitionCounter, number> = { renewed: 0, trialsConverted: 0, unsubscribed: 0 };
  for (const row of rows) {
    const count = Number(row.count);
    if (row.type === "Renewed") counts.renewed += count;
    else if (row.type === "TrialConverted") counts.trialsConverted += count;
    else counts.unsubscribed += count;
  }
  return counts;
}

/** The webhook deliveries queued for the timed transitions of a window, by delivery status. */
export async function deliveriesOfWindow(
  db: Kysely<Database>,
  window: ClockWindow,
): Promise<Record<WebhookDeliveryStatus, number>> {
  const rows = await timedEventsIn(db, window)
    .innerJoin("webhook_deliveries", "webhook_deliveries.event_id", "events.id")
    .select(["webhook_deliveries.status as status", (eb) => eb.fn.countAll().as("count")])
    .groupBy("webhook_deliveries.status")
    .execute();
  const counts: Record<WebhookDeliveryStatus, number> = { pending: 0, delivered: 0, rejected: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
