import type { Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { Database, EventTable } from "../db/tables.js";

export type EventRow = Selectable<EventTable>;
type Executor = Kysely<Database> | Transaction<Database>;

/** The event log: written only inside the transaction of the change it records. */
export async function insertEvent(trx: Transaction<Database>, row: Insertable<EventTable>): Promise<void> {
  await trx.insertInto("events").values(row).execute();
}

export async function eventRecorded(executor: Executor, idempotencyKey: string): Promise<boolean> {
  const row = await executor
    .selectFrom("events")
    .select("id")
    .where("idempotency_key", "=", idempotencyKey)
    .executeTakeFirst();
  return row !== undefined;
}

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
