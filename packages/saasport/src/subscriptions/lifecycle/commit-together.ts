import type { Kysely, Transaction, Updateable } from "kysely";
import type { PricingModel } from "../../catalog/model.js";
import { columnsOf, groupBy, inIdOrder, isPostgres, quoted, runNamed } from "../../db/json-rows.js";
import type { Database, SubscriptionTable } from "../../db/tables.js";
import { enqueueDeliveries, type QueuedDelivery } from "../../webhooks/outbox.js";
import type { SubscriptionRow } from "../repository.js";
import {
  type CommitDeps,
  type Committed,
  commitChange,
  deliveryOf,
  type LifecycleEvent,
  type PlannedChange,
  planChange,
} from "./commit.js";

// Set-based forms of `commitChange` for PostgreSQL batches: a batch of changes is one statement for
// the events and the subscription updates (one per set of changed columns), plus one for the webhooks
// they queue, instead of two or three round trips per change.

/** One subscription's change, as `commitChange` takes it. */
export interface ChangeToCommit {
  row: SubscriptionRow;
  changes: Updateable<SubscriptionTable>;
  event: LifecycleEvent;
  /** Needed only when `event.webhook` is set. */
  pricingModel: PricingModel | undefined;
}

/**
 * Inside the caller's transaction, with every row locked and each subscription at most once: the result
 * of `commitChange` for each change, in order (undefined where the event's idempotency key was already
 * recorded). SQLite, in process, runs `commitChange` for each.
 */
export async function commitChanges(
  trx: Transaction<Database>,
  deps: CommitDeps,
  changes: readonly ChangeToCommit[],
): Promise<Array<Committed | undefined>> {
  if (!isPostgres(trx)) {
    const results: Array<Committed | undefined> = [];
    for (const { row, changes: set, event, pricingModel } of changes) {
      results.push(await commitChange(trx, deps, row, set, event, pricingModel));
    }
    return results;
  }
  const planned = changes.map((change) => planChange(deps, change.row, change.changes, change.event));
  const recorded = new Set<string>();
  for (const group of groupBy(planned, columnKey)) {
    const rows = await runNamed<Database, { id: string }>(
      trx,
      recordThenUpdate(group[0] as PlannedChange),
      inputsOf(group),
    );
    for (const row of rows) recorded.add(row.id);
  }
  const results = changes.map((change, index): Committed | undefined => {
    const plan = planned[index] as PlannedChange;
    if (!recorded.has(change.row.id)) return undefined;
    return { eventId: plan.eventId, seq: plan.seq, row: plan.after, deliveryId: undefined };
  });
  const deliveries: Array<{ committed: Committed; delivery: QueuedDelivery }> = [];
  changes.forEach(({ row, event, pricingModel }, index) => {
    const committed = results[index];
    const delivery = committed && deliveryOf(deps, row, planned[index] as PlannedChange, event, pricingModel);
    if (committed && delivery) deliveries.push({ committed, delivery });
  });
  const ids = await enqueueDeliveries(
    trx,
    deliveries.map(({ delivery }) => delivery),
  );
  deliveries.forEach(({ committed }, position) => {
    committed.deliveryId = ids[position];
  });
  return results;
}

/**
 * PostgreSQL: commits changes planned from subscriptions read outside any transaction (`planChange`), all
 * in one statement, its own transaction: the update of every subscription whose `event_seq` is still the
 * one its change was planned from, and the insert of the events of those it changed. One round trip and
 * one commit instead of four round trips and a commit per change. A subscription changed meanwhile is
 * never overwritten: it is left out, and so is every change of a statement that failed (an event's
 * idempotency key already taken, say, or a lost deadlock; told to `onFailure`). Returns the ids of the subscriptions changed;
 * the caller redoes the others the locked way (`commitChange`), which reports any cause. The changes
 * carry no webhook.
 *
 * SQLite has no use for it: statements run in process, and group commit already shares the commit.
 */
export async function commitIfUnchanged(
  db: Kysely<Database>,
  planned: readonly PlannedChange[],
  onFailure: (error: unknown) => void = () => {},
): Promise<Set<string>> {
  if (!isPostgres(db)) throw new Error("commitIfUnchanged is for PostgreSQL only");
  const changed = new Set<string>();
  for (const group of groupBy(
    inIdOrder(planned, (change) => change.event.subscription_id),
    columnKey,
  )) {
    const rows = await runNamed<Database, { subscription_id: string }>(
      db,
      updateIfUnchangedThenRecord(group[0] as PlannedChange),
      inputsOf(group),
    ).catch((error: unknown) => {
      onFailure(error);
      return [];
    });
    for (const row of rows) changed.add(row.subscription_id);
  }
  return changed;
}

/** Changes with the same columns share a statement. */
function columnKey(change: PlannedChange): string {
  return `${columnsOf(change.changes).join(",")} ${columnsOf(change.event).join(",")}`;
}

/** $1: the subscriptions' changes with their ids, $2: the ids, $3: the events. */
function inputsOf(group: readonly PlannedChange[]): unknown[] {
  return [
    JSON.stringify(group.map((change) => ({ ...change.changes, id: change.event.subscription_id }))),
    group.map((change) => change.event.subscription_id),
    JSON.stringify(group.map((change) => change.event)),
  ];
}

/** `set a = input.a, ...` for the subscription's changed columns, and the events' column list. */
function columnLists(change: PlannedChange) {
  return {
    set: columnsOf(change.changes)
      .map((column) => `${quoted(column)} = input.${quoted(column)}`)
      .join(", "),
    events: columnsOf(change.event).map(quoted).join(", "),
  };
}

const input = "with input as (select * from jsonb_populate_recordset(null::subscriptions, $1::jsonb))";

/**
 * The locked batch (`commitChanges`): the events first, skipping any whose idempotency key is recorded,
 * then the update of the subscriptions whose event went in. `s.id = any($2)` lets the planner find the
 * rows by primary key even in a generic plan.
 */
function recordThenUpdate(change: PlannedChange): string {
  const { set, events } = columnLists(change);
  return `${input},
recorded as (
  insert into events (${events})
  select ${events} from jsonb_populate_recordset(null::events, $3::jsonb)
  on conflict (idempotency_key) do nothing
  returning subscription_id
)
update subscriptions as s set ${set} from input
where s.id = any($2::text[]) and s.id = input.id and s.id in (select subscription_id from recorded)
returning s.id`;
}

/** The unlocked batch (`commitIfUnchanged`): the guarded update first, then the events of those it changed. */
function updateIfUnchangedThenRecord(change: PlannedChange): string {
  const { set, events } = columnLists(change);
  return `${input},
changed as (
  update subscriptions as s set ${set} from input
  where s.id = any($2::text[]) and s.id = input.id and s.event_seq = input.event_seq - 1
  returning s.id
)
insert into events (${events})
select ${events} from jsonb_populate_recordset(null::events, $3::jsonb) as e
where e.subscription_id in (select id from changed)
returning subscription_id`;
}
