import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type {
  Database,
  WebhookAttemptTable,
  WebhookDeliveryStatus,
  WebhookDeliveryTable,
} from "../db/tables.js";

export interface DeliveryView {
  id: string;
  eventId: string;
  subscriptionId: string;
  publisherId: string;
  seq: number;
  action: string;
  operationId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt may start; null once the delivery is final. */
  nextAttemptAt: string | null;
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  redeliveryOf: string | null;
  createdAt: string;
}

export interface AttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  outcome: string;
  error: string | null;
  responseSnippet: string | null;
  fault: string | null;
}

export interface DeliveryDetail extends DeliveryView {
  payload: unknown;
  attemptLog: AttemptView[];
}

export interface DeliveryFilter {
  /** Undefined: every publisher (the operator's view). */
  publisherId?: string | undefined;
  subscriptionId?: string | undefined;
  status?: WebhookDeliveryStatus | undefined;
  limit: number;
  after?: DeliveryCursor | undefined;
}

/** A position in the newest-first listing: the last delivery of the previous page. */
export interface DeliveryCursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(cursor: DeliveryCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), "utf8").toString("base64url");
}

export function decodeCursor(raw: string): DeliveryCursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== "string" || typeof id !== "string") return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

function deliveryView(row: Selectable<WebhookDeliveryTable>): DeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    subscriptionId: row.subscription_id,
    publisherId: row.publisher_id,
    seq: Number(row.seq),
    action: row.action,
    operationId: row.operation_id,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === "pending" ? row.next_attempt_at : null,
    firstAttemptAt: row.first_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    redeliveryOf: row.redelivery_of,
    createdAt: row.created_at,
  };
}

function attemptView(row: Selectable<WebhookAttemptTable>): AttemptView {
  return {
    attempt: Number(row.attempt),
    startedAt: row.started_at,
    durationMs: Number(row.duration_ms),
    statusCode: row.status_code === null ? null : Number(row.status_code),
    outcome: row.outcome,
    error: row.error,
    responseSnippet: row.response_snippet,
    fault: row.fault,
  };
}

export interface DeliveryPage {
  deliveries: DeliveryView[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

export interface DeliveryQueries {
  list(filter: DeliveryFilter): Promise<DeliveryPage>;
  /** Undefined when there is no such delivery (for this publisher, when one is named). */
  get(id: string, publisherId: string | undefined): Promise<DeliveryDetail | undefined>;
  /**
   * Queues the delivery again as a new delivery (new id, same event, payload, operation and sequence
   * number) that names the original. Undefined when the publisher has no such delivery.
   */
  redeliver(id: string, publisherId: string, now: string): Promise<DeliveryView | undefined>;
}

export function createDeliveryQueries(db: Kysely<Database>): DeliveryQueries {
  async function find(id: string, publisherId: string | undefined) {
    return db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("id", "=", id)
      .$if(publisherId !== undefined, (q) => q.where("publisher_id", "=", publisherId as string))
      .executeTakeFirst();
  }
  return {
    async list(filter) {
      const { after } = filter;
      const rows = await db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .$if(filter.publisherId !== undefined, (q) =>
          q.where("publisher_id", "=", filter.publisherId as string),
        )
        .$if(filter.subscriptionId !== undefined, (q) =>
          q.where("subscription_id", "=", filter.subscriptionId as string),
        )
        .$if(filter.status !== undefined, (q) =>
          q.where("status", "=", filter.status as WebhookDeliveryStatus),
        )
        .$if(after !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb("created_at", "<", (after as DeliveryCursor).createdAt),
              eb.and([
                eb("created_at", "=", (after as DeliveryCursor).createdAt),
                eb("id", "<", (after as DeliveryCursor).id),
              ]),
            ]),
          ),
        )
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(filter.limit + 1)
        .execute();
      const page = rows.slice(0, filter.limit);
      const last = page.at(-1);
      return {
        deliveries: page.map(deliveryView),
        next:
          rows.length > filter.limit && last
            ? encodeCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },
    async get(id, publisherId) {
      const row = await find(id, publisherId);
      if (!row) return undefined;
      const attempts = await db
        .selectFrom("webhook_attempts")
        .selectAll()
        .where("delivery_id", "=", id)
        .orderBy("attempt")
        .orderBy("started_at")
        .execute();
      return {
        ...deliveryView(row),
        payload: JSON.parse(row.payload),
        attemptLog: attempts.map(attemptView),
      };
    },
    async redeliver(id, publisherId, now) {
      const original = await find(id, publisherId);
      if (!original) return undefined;
      const copy = {
        id: randomUUID(),
        event_id: original.event_id,
        subscription_id: original.subscription_id,
        publisher_id: original.publisher_id,
        seq: original.seq,
        action: original.action,
        operation_id: original.operation_id,
        payload: original.payload,
        status: "pending" as const,
        next_attempt_at: now,
        redelivery_of: original.id,
        created_at: now,
      };
      await db.insertInto("webhook_deliveries").values(copy).execute();
      const inserted = await find(copy.id, publisherId);
      if (!inserted) throw new Error(`Redelivery ${copy.id} vanished after it was queued`);
      return deliveryView(inserted);
    },
  };
}
