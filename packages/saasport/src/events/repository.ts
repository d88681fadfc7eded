import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, EventTable } from "../db/tables.js";

export type EventRow = Selectable<EventTable>;
type Executor = Kysely<Database> | Transaction<Database>;

export interface EventQuery {
  publisherId?: string | undefined;
  subscriptionId?: string | undefined;
  /** With a subscription: events with seq > after. Without: events with position > after. */
  after?: number | undefined;
  types?: string[] | undefined;
  limit: number;
}

/** Events in order: per subscription by seq, otherwise by global position. */
export async function listEvents(db: Executor, query: EventQuery): Promise<EventRow[]> {
  let select = db.selectFrom("events").selectAll();
  if (query.publisherId !== undefined) select = select.where("publisher_id", "=", query.publisherId);
  if (query.types && query.types.length > 0) select = select.where("type", "in", query.types);
  if (query.subscriptionId !== undefined) {
    select = select.where("subscription_id", "=", query.subscriptionId);
    if (query.after !== undefined) select = select.where("seq", ">", query.after);
    return select.orderBy("seq").limit(query.limit).execute();
  }
  if (query.after !== undefined) select = select.where("position", ">", query.after);
  return select.orderBy("position").limit(query.limit).execute();
}

/** The events of some subscriptions that carry a billing snapshot, in per-subscription order (for the ledger). */
export async function snapshotsOf(
  db: Kysely<Database>,
  subscriptionIds: readonly string[],
): Promise<Map<string, { seq: number; type: string; occurredAt: string; snapshot: string }[]>> {
  const bySubscription = new Map<
    string,
    { seq: number; type: string; occurredAt: string; snapshot: string }[]
  >();
  if (subscriptionIds.length === 0) return bySubscription;
  const rows = await db
    .selectFrom("events")
    .select(["subscription_id", "seq", "type", "occurred_at", "snapshot"])
    .where("subscription_id", "in", subscriptionIds)
    .where("snapshot", "is not", null)
    .orderBy("subscription_id")
    .orderBy("seq")
    .execute();
  for (const row of rows) {
    const list = bySubscription.get(row.subscription_id) ?? [];
    list.push({
      seq: Number(row.seq),
      type: row.type,
      occurredAt: row.occurred_at,
      snapshot: row.snapshot ?? "{}",
    });
    bySubscription.set(row.subscription_id, list);
  }
  return bySubscription;
}
