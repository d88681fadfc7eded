import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, FaultTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import type { FaultSpec, FaultTarget } from "./spec.js";

export interface StoredFault {
  id: string;
  target: FaultTarget;
  publisherId: string | null;
  subscriptionId: string | null;
  spec: FaultSpec;
  remaining: number | null;
  seed: number;
  hits: number;
  consults: number;
  seq: number;
  createdAt: string;
  clearedAt: string | null;
}

export interface NewFault {
  id: string;
  target: FaultTarget;
  publisherId: string | null;
  subscriptionId: string | null;
  spec: FaultSpec;
  seed: number;
  now: Date;
}

export type FaultStore = ReturnType<typeof createFaultStore>;

/** The `faults` table. Consultation and consumption are single conditional UPDATEs, safe across processes. */
export function createFaultStore(db: Kysely<Database>) {
  const live = (query: ReturnType<typeof selectFaults>) =>
    query
      .where("cleared_at", "is", null)
      .where((eb) => eb.or([eb("remaining", "is", null), eb("remaining", ">", 0)]));
  const selectFaults = () => db.selectFrom("faults").selectAll();

  return {
    async insert(fault: NewFault): Promise<StoredFault> {
      await db
        .insertInto("faults")
        .values({
          id: fault.id,
          target: fault.target,
          publisher_id: fault.publisherId,
          subscription_id: fault.subscriptionId,
          spec: JSON.stringify(fault.spec),
          remaining: fault.spec.count,
          seed: fault.seed,
          created_at: toStored(fault.now),
          seq: sql<number>`(select coalesce(max(seq), 0) + 1 from faults)`,
        })
        .execute();
      const stored = await this.get(fault.id);
      if (!stored) throw new Error(`fault ${fault.id} vanished after insert`);
      return stored;
    },

    async get(id: string): Promise<StoredFault | undefined> {
      const row = await selectFaults().where("id", "=", id).executeTakeFirst();
      return row && fromRow(row);
    },

    /** Active faults (not cleared, not used up), or every fault ever created; oldest first. */
    async list(options: { includeInactive: boolean; target?: FaultTarget }): Promise<StoredFault[]> {
      let query = options.includeInactive ? selectFaults() : live(selectFaults());
      if (options.target) query = query.where("target", "=", options.target);
      const rows = await query.orderBy("created_at").orderBy("seq").orderBy("id").execute();
      return rows.map(fromRow);
    },

    /** Clears one fault; false when there is no such fault. Clearing a cleared fault keeps its first date. */
    async clear(id: string, now: Date): Promise<boolean> {
      const found = await selectFaults().where("id", "=", id).executeTakeFirst();
      if (!found) return false;
      await db
        .updateTable("faults")
        .set({ cleared_at: toStored(now) })
        .where("id", "=", id)
        .where("cleared_at", "is", null)
        .execute();
      return true;
    },

    /** Clears every fault not cleared yet, or only those of one publisher; returns how many. */
    async clearAll(options: { publisherId?: string; now: Date }): Promise<number> {
      let query = db
        .updateTable("faults")
        .set({ cleared_at: toStored(options.now) })
        .where("cleared_at", "is", null);
      if (options.publisherId !== undefined) query = query.where("publisher_id", "=", options.publisherId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Numbers this consultation of a still-active fault (1, 2, 3...); undefined once it is cleared or used up. */
    async consult(id: string): Promise<number | undefined> {
      const row = await db
        .updateTable("faults")
        .set({ consults: sql<number>`consults + 1` })
        .where("id", "=", id)
        .where("cleared_at", "is", null)
        .where((eb) => eb.or([eb("remaining", "is", null), eb("remaining", ">", 0)]))
        .returning("consults")
        .executeTakeFirst();
      return row?.consults;
    },

    /**
     * Takes one application of the fault if any is left: the remaining count after it (null:
     * unlimited) and the hits so far, or undefined when another consumer took the last one first.
     */
    async consume(id: string): Promise<{ remaining: number | null; hits: number } | undefined> {
      return db
        .updateTable("faults")
        .set({
          remaining: sql<number | null>`remaining - 1`,
          hits: sql<number>`hits + 1`,
        })
        .where("id", "=", id)
        .where("cleared_at", "is", null)
        .where((eb) => eb.or([eb("remaining", "is", null), eb("remaining", ">", 0)]))
        .returning(["remaining", "hits"])
        .executeTakeFirst();
    },
  };
}

function fromRow(row: Selectable<FaultTable>): StoredFault {
  return {
    id: row.id,
    target: row.target as FaultTarget,
    publisherId: row.publisher_id,
    subscriptionId: row.subscription_id,
    spec: JSON.parse(row.spec) as FaultSpec,
    remaining: row.remaining,
    seed: row.seed,
    hits: row.hits,
    consults: row.consults,
    seq: row.seq,
    createdAt: row.created_at,
    clearedAt: row.cleared_at,
  };
}
