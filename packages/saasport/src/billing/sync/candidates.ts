import type { Kysely } from "kysely";
import { paddedIds } from "../../db/chunks.js";
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
  /** The last event the ledger took in (null before the first run). */
  billed_seq: number | null;
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
      "b.billed_seq",
    ])
    .where("s.id", "in", ids)
    .orderBy("s.id")
    .execute();
}

/**
 * Follows the event log of one clock's subscriptions from the clock's cursor (kept in `meta`) to its end,
 * handing each chunk's subscriptions with events the ledger has not taken in yet to `visit`, then moves
 * the cursor: to the end of the log, or on PostgreSQL to just before the first event that is not settled.
 */
export async function followEventLog(
  deps: { db: Kysely<Database>; dialect: Dialect; now(): Date },
  clockName: string,
  visit: (subscriptionIds: string[]) => Promise<void>,
): Promise<void> {
  const key = `billing.cursor.${clockName}`;
  const cursor = Number(
    (await deps.db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst())?.value ?? 0,
  );
  const settledBefore = toStored(new Date(deps.now().getTime() - settleMs));
  let scanned = cursor;
  let firstUnsettled: number | undefined;
  for (;;) {
    const rows = await deps.db
      .selectFrom("events")
      .select(["position", "subscription_id", "seq", "recorded_at"])
      .where("clock", "=", clockName)
      .where("position", ">", scanned)
      .orderBy("position")
      .limit(eventChunk)
      .execute();
    if (rows.length === 0) break;
    // Per subscription, events commit in seq order (the row is locked), so seq ≤ billed_seq was taken in.
    const billed = await billedSeqs(deps.db, [...new Set(rows.map((row) => row.subscription_id))]);
    const fresh = rows.filter((row) => Number(row.seq) > (billed.get(row.subscription_id) ?? 0));
    if (fresh.length > 0) await visit([...new Set(fresh.map((row) => row.subscription_id))]);
    if (deps.dialect === "postgres" && firstUnsettled === undefined) {
      const unsettled = rows.find((row) => row.recorded_at >= settledBefore);
      if (unsettled) firstUnsettled = Number(unsettled.position);
    }
    scanned = Number(rows[rows.length - 1]?.position ?? scanned);
    if (rows.length < eventChunk) break;
  }
  const next = firstUnsettled === undefined ? scanned : Math.min(scanned, firstUnsettled - 1);
  if (next > cursor) {
    await deps.db
      .insertInto("meta")
      .values({ key, value: String(next) })
      .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: String(next) }))
      .execute();
  }
}

async function billedSeqs(
  db: Kysely<Database>,
  subscriptionIds: readonly string[],
): Promise<Map<string, number>> {
  const billed = new Map<string, number>();
  for (let start = 0; start < subscriptionIds.length; start += 1000) {
    const rows = await db
      .selectFrom("billing_states")
      .select(["subscription_id", "billed_seq"])
      .where("subscription_id", "in", paddedIds(subscriptionIds.slice(start, start + 1000)))
      .execute();
    for (const row of rows) billed.set(row.subscription_id, Number(row.billed_seq));
  }
  return billed;
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
