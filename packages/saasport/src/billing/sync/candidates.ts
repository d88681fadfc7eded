import type { Kysely } from "kysely";
import type { Dialect } from "../../db/connection.js";
import type { Database } from "../../db/tables.js";
import { toStored } from "../../db/time.js";

/** A subscription the ledger must compute again, with what the ledger kept of it. */
export interface Candidate {
  id: string;
  publisher_id: string;
  offer_id: string;
  beneficiary_tenant_id: string;
  purchaser_tenant_id: string;
  prices: string | null;
  synced_as_of: string | null;
}

/** Events read per step when following the log. */
const eventChunk = 5_000;
/**
 * On PostgreSQL an event's position is taken when it is inserted, and a transaction holding a lower
 * position can commit after one holding a higher one. The cursor therefore never passes events recorded
 * in the last few seconds: they are read again on the next run (harmless: the ledger is idempotent).
 */
const settleMs = 5_000;

export async function candidatesByIds(db: Kysely<Database>, ids: readonly string[]): Promise<Candidate[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("subscriptions as s")
    .leftJoin("billing_states as b", "b.subscription_id", "s.id")
    .select([
      "s.id",
      "s.publisher_id",
      "s.offer_id",
      "s.beneficiary_tenant_id",
      "s.purchaser_tenant_id",
      "b.prices",
      "b.synced_as_of",
    ])
    .where("s.id", "in", ids)
    .orderBy("s.id")
    .execute();
}

/**
 * Follows the event log of one clock's subscriptions from the clock's cursor (kept in `meta`): hands each
 * chunk's subscriptions to `visit`, then moves the cursor past the chunk.
 */
export async function followEventLog(
  deps: { db: Kysely<Database>; dialect: Dialect; now(): Date },
  clockName: string,
  visit: (subscriptionIds: string[]) => Promise<void>,
): Promise<void> {
  const key = `billing.cursor.${clockName}`;
  let cursor = Number(
    (await deps.db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst())?.value ?? 0,
  );
  for (;;) {
    const rows = await deps.db
      .selectFrom("events as e")
      .innerJoin("subscriptions as s", "s.id", "e.subscription_id")
      .select(["e.position", "e.subscription_id", "e.recorded_at"])
      .where("e.position", ">", cursor)
      .where("s.test_clock", "=", clockName)
      .orderBy("e.position")
      .limit(eventChunk)
      .execute();
    if (rows.length === 0) return;
    await visit([...new Set(rows.map((row) => row.subscription_id))]);
    const settledBefore = toStored(new Date(deps.now().getTime() - settleMs));
    const unsettled =
      deps.dialect === "postgres" ? rows.find((row) => row.recorded_at >= settledBefore) : undefined;
    const next = unsettled
      ? Number(unsettled.position) - 1
      : Number(rows[rows.length - 1]?.position ?? cursor);
    if (next > cursor) {
      cursor = next;
      await deps.db
        .insertInto("meta")
        .values({ key, value: String(cursor) })
        .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: String(cursor) }))
        .execute();
    }
    if (unsettled || rows.length < eventChunk) return;
  }
}

/** Subscriptions of a clock whose next ledger line has fallen due, the earliest first. */
export async function dueSubscriptions(
  db: Kysely<Database>,
  clockName: string,
  dueBy: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom("billing_states")
    .select("subscription_id")
    .where("clock", "=", clockName)
    .where("due_at", "<=", dueBy)
    .orderBy("due_at")
    .orderBy("subscription_id")
    .limit(limit)
    .execute();
  return rows.map((row) => row.subscription_id);
}
