import type { EventRow } from "./repository.js";

/** An event as /partner/v1/events, /operator/v1/events and their streams show it. */
export function eventView(row: EventRow): Record<string, unknown> {
  return {
    id: row.id,
    position: Number(row.position),
    subscriptionId: row.subscription_id,
    publisherId: row.publisher_id,
    seq: row.seq,
    type: row.type,
    actor: row.actor,
    operationId: row.operation_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    data: JSON.parse(row.data) as unknown,
  };
}
