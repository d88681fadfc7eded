import type { Insertable, Transaction } from "kysely";
import { insertJsonRows } from "../db/json-rows.js";
import { insertRow } from "../db/prepared.js";
import type { Database, WebhookDeliveryTable } from "../db/tables.js";
import { timeOrderedId } from "../db/time-ordered-id.js";

export interface QueuedDelivery {
  eventId: string;
  subscriptionId: string;
  publisherId: string;
  /** The event's per-subscription sequence number (deliveries of a subscription go out in this order). */
  seq: number;
  action: string;
  operationId: string;
  payload: Record<string, unknown>;
  /** Real time: when the first attempt may start. */
  now: string;
}

function deliveryRow(delivery: QueuedDelivery): Insertable<WebhookDeliveryTable> & { id: string } {
  return {
    id: timeOrderedId(),
    event_id: delivery.eventId,
    subscription_id: delivery.subscriptionId,
    publisher_id: delivery.publisherId,
    seq: delivery.seq,
    action: delivery.action,
    operation_id: delivery.operationId,
    payload: JSON.stringify(delivery.payload),
    status: "pending",
    next_attempt_at: delivery.now,
    created_at: delivery.now,
  };
}

/**
 * Queues a webhook delivery in the transaction of the change that causes it (the outbox): the change
 * and its announcement commit together or not at all. Returns the delivery id.
 */
export async function enqueueDelivery(trx: Transaction<Database>, delivery: QueuedDelivery): Promise<string> {
  const row = deliveryRow(delivery);
  await insertRow(trx, "webhook_deliveries", row);
  return row.id;
}

/** Several deliveries in one statement (`enqueueDelivery` for a batch of changes); their ids, in order. */
export async function enqueueDeliveries(
  trx: Transaction<Database>,
  deliveries: readonly QueuedDelivery[],
): Promise<string[]> {
  const rows = deliveries.map(deliveryRow);
  await insertJsonRows(trx, "webhook_deliveries", rows);
  return rows.map((row) => row.id);
}
