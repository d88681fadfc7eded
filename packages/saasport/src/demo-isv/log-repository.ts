import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { isWebhookMode, type WebhookMode } from "./webhook-decision.js";

/** What the demo app writes down: one record per landing, activation, webhook call, ack or setting. */
export type LogKind =
  | "landing"
  | "landing-failed"
  | "activation"
  | "activation-failed"
  | "form-refused"
  | "webhook"
  | "webhook-refused"
  | "webhook-duplicate"
  | "ack"
  | "ack-failed"
  | "setting";

export interface NewLogRecord {
  publisherId: string;
  subscriptionId?: string | undefined;
  kind: LogKind;
  summary: string;
  detail?: Record<string, unknown>;
}

export interface LogRecord {
  position: number;
  publisherId: string;
  subscriptionId: string | null;
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
  createdAt: string;
}

export interface DemoIsvLog {
  add(record: NewLogRecord, now: Date): Promise<number>;
  /**
   * Records an accepted webhook delivery, claiming its delivery id for the publisher. Returns the
   * record's position, or undefined when the id was claimed before (a duplicate delivery).
   */
  claimDelivery(record: NewLogRecord, deliveryId: string, now: Date): Promise<number | undefined>;
  /** Gives a claimed delivery id back (the call will be retried) and rewrites the record. */
  releaseDelivery(position: number, summary: string, detail: Record<string, unknown>): Promise<void>;
  update(position: number, summary: string, detail: Record<string, unknown>): Promise<void>;
  /** Newest first; `before` is the position to continue below. */
  page(publisherId: string, options: { before?: number | undefined; limit: number }): Promise<LogRecord[]>;
  webhookMode(publisherId: string): Promise<WebhookMode>;
}

export function createDemoIsvLog(db: Kysely<Database>): DemoIsvLog {
  const row = (record: NewLogRecord, now: Date) => ({
    publisher_id: record.publisherId,
    subscription_id: record.subscriptionId ?? null,
    kind: record.kind,
    summary: record.summary.slice(0, 500),
    detail: JSON.stringify(record.detail ?? {}),
    created_at: toStored(now),
  });

  return {
    async add(record, now) {
      const inserted = await db
        .insertInto("demo_isv_log")
        .values({ ...row(record, now), delivery_id: null })
        .returning("position")
        .executeTakeFirstOrThrow();
      return Number(inserted.position);
    },
    async claimDelivery(record, deliveryId, now) {
      const inserted = await db
        .insertInto("demo_isv_log")
        .values({ ...row(record, now), delivery_id: deliveryId })
        .onConflict((conflict) => conflict.columns(["publisher_id", "delivery_id"]).doNothing())
        .returning("position")
        .executeTakeFirst();
      return inserted === undefined ? undefined : Number(inserted.position);
    },
    async releaseDelivery(position, summary, detail) {
      await db
        .updateTable("demo_isv_log")
        .set({ delivery_id: null, summary: summary.slice(0, 500), detail: JSON.stringify(detail) })
        .where("position", "=", position)
        .execute();
    },
    async update(position, summary, detail) {
      await db
        .updateTable("demo_isv_log")
        .set({ summary: summary.slice(0, 500), detail: JSON.stringify(detail) })
        .where("position", "=", position)
        .execute();
    },
    async page(publisherId, { before, limit }) {
      let query = db
        .selectFrom("demo_isv_log")
        .selectAll()
        .where("publisher_id", "=", publisherId)
        .orderBy("position", "desc")
        .limit(limit);
      if (before !== undefined) query = query.where("position", "<", before);
      const rows = await query.execute();
      return rows.map((stored) => ({
        position: Number(stored.position),
        publisherId: stored.publisher_id,
        subscriptionId: stored.subscription_id,
        kind: stored.kind,
        summary: stored.summary,
        detail: parseDetail(stored.detail),
        createdAt: stored.created_at,
      }));
    },
    async webhookMode(publisherId) {
      const latest = await db
        .selectFrom("demo_isv_log")
        .select("detail")
        .where("publisher_id", "=", publisherId)
        .where("kind", "=", "setting")
        .orderBy("position", "desc")
        .limit(1)
        .executeTakeFirst();
      const mode = latest ? parseDetail(latest.detail).mode : undefined;
      return isWebhookMode(mode) ? mode : "accept";
    },
  };
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
