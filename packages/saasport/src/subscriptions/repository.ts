import {
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from "kysely";
import type { Dialect } from "../db/connection.js";
import { inGroupedTransaction } from "../db/group-commit.js";
import { columnsOf, groupBy, inIdOrder, isPostgres, quoted, runNamed } from "../db/json-rows.js";
import { nameStatement } from "../db/pg-statement-names.js";
import { insertRow, runPrepared, selectWhere, updateWhere } from "../db/prepared.js";
import { batchedArrayReads } from "../db/read-batcher.js";
import type { Database, OperationTable, SubscriptionTable } from "../db/tables.js";
import { type WireSubscriptionRow, wireSubscriptionColumns } from "./wire-format.js";

export type SubscriptionRow = Selectable<SubscriptionTable>;
export type OperationRow = Selectable<OperationTable>;
export type Executor = Kysely<Database> | Transaction<Database>;

export interface PageCursor {
  createdAt: string;
  id: string;
}

/** PostgreSQL: `select <columns> from subscriptions where id = any($1)`, one statement whatever the ids. */
function selectByIds(db: Kysely<Database>, columns?: readonly (keyof SubscriptionTable)[]) {
  const query = db.selectFrom("subscriptions");
  return (columns ? query.select(columns) : query.selectAll())
    .where(sql<boolean>`id = any(${sql.val("ids")})`)
    .compile();
}

/**
 * PostgreSQL: the reads outside transactions of the requests that arrive in one turn of the event loop
 * are one query (`id = any($1)`), one round trip instead of one each. SQLite reads in process, where
 * waiting for the turn would only add latency.
 */
function postgresReads(db: Kysely<Database>) {
  const all = selectByIds(db);
  nameStatement(all.sql);
  const wire = batchedArrayReads<Database, WireSubscriptionRow>(db, selectByIds(db, wireSubscriptionColumns));
  const row = batchedArrayReads<Database, SubscriptionRow>(db, all);
  return {
    wire: async (id: string) => (await wire([id]))[0],
    row: async (id: string) => (await row([id]))[0],
    rows: async (ids: readonly string[]) =>
      (await db.executeQuery<SubscriptionRow>({ ...all, parameters: [ids] })).rows,
  };
}

export function createSubscriptionRepository(db: Kysely<Database>, dialect: Dialect) {
  const batched = dialect === "postgres" ? postgresReads(db) : undefined;

  /**
   * Moves an operation from one status to another only if it still has the expected status; returns
   * false when another process got there first.
   */
  async function transitionOperation(
    trx: Executor,
    operationId: string,
    from: OperationRow["status"],
    changes: Updateable<OperationTable> & { status: OperationRow["status"] },
  ): Promise<boolean> {
    const changed = await updateWhere(
      trx,
      "operations",
      { ...changes, pending: isFinal(changes.status) ? null : 1 },
      { id: operationId, status: from },
    );
    return changed === 1;
  }

  return {
    /** A request's change: on SQLite it shares its durable commit with others requested meanwhile. */
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return inGroupedTransaction(db, work);
    },

    /** Outside a transaction, on PostgreSQL, batched with the other reads of the turn. */
    async get(id: string, executor: Executor = db): Promise<SubscriptionRow | undefined> {
      if (batched && executor === db) return batched.row(id);
      const [row] = await selectWhere(executor, "subscriptions", { id });
      return row;
    },

    /** Several subscriptions, in no particular order (missing ones are left out). */
    async getMany(ids: readonly string[]): Promise<SubscriptionRow[]> {
      if (ids.length === 0) return [];
      if (batched) return batched.rows(ids);
      const rows = await Promise.all(ids.map((id) => selectWhere(db, "subscriptions", { id })));
      return rows.flat();
    },

    /** The offers of several subscriptions, in one query (ids of missing subscriptions are left out). */
    async offersOf(
      ids: readonly string[],
    ): Promise<Array<Pick<SubscriptionRow, "id" | "publisher_id" | "offer_id">>> {
      if (ids.length === 0) return [];
      return db
        .selectFrom("subscriptions")
        .select(["id", "publisher_id", "offer_id"])
        .where("id", "in", [...new Set(ids)])
        .execute();
    },

    /** Only the columns of the wire form: less to read and convert than the whole row. */
    async getWire(id: string): Promise<WireSubscriptionRow | undefined> {
      if (batched) return batched.wire(id);
      const [row] = await selectWhere<Database, "subscriptions", WireSubscriptionRow>(
        db,
        "subscriptions",
        { id },
        { columns: wireSubscriptionColumns },
      );
      return row;
    },

    /** Reads a subscription inside a transaction, locking its row on PostgreSQL (SQLite has one writer). */
    async getForUpdate(trx: Transaction<Database>, id: string): Promise<SubscriptionRow | undefined> {
      const [row] = await selectWhere(trx, "subscriptions", { id }, { forUpdate: dialect === "postgres" });
      return row;
    },

    /**
     * Several subscriptions read in one statement inside a transaction, locked in id order on
     * PostgreSQL (so that two processes locking overlapping sets cannot deadlock).
     */
    async getManyForUpdate(trx: Transaction<Database>, ids: readonly string[]): Promise<SubscriptionRow[]> {
      if (ids.length === 0) return [];
      const query = trx
        .selectFrom("subscriptions")
        .selectAll()
        .where("id", "in", [...ids])
        .orderBy("id");
      return (dialect === "postgres" ? query.forUpdate() : query).execute();
    },

    async insert(trx: Executor, row: Insertable<SubscriptionTable>): Promise<void> {
      await trx.insertInto("subscriptions").values(row).execute();
    },

    async update(trx: Executor, id: string, changes: Updateable<SubscriptionTable>): Promise<void> {
      await updateWhere(trx, "subscriptions", changes, { id });
    },

    /**
     * One page of a publisher's subscriptions in (created_at, id) order, after the cursor. Two shapes
     * (first page, later page), each compiled once (and named on PostgreSQL).
     */
    async page(
      publisherId: string,
      after: PageCursor | undefined,
      limit: number,
    ): Promise<WireSubscriptionRow[]> {
      const values = after ? [publisherId, limit, after.createdAt, after.id] : [publisherId, limit];
      return runPrepared<Database, WireSubscriptionRow>(
        db,
        after ? "subscription page after" : "subscription page",
        values,
        (marker) => {
          let query = db
            .selectFrom("subscriptions")
            .select(wireSubscriptionColumns)
            .where("publisher_id", "=", marker(0));
          if (after) {
            // A row-value comparison lets both databases seek in the (publisher_id, created_at, id) index.
            query = query.where((eb) =>
              eb(eb.refTuple("created_at", "id"), ">", eb.tuple(marker(2), marker(3))),
            );
          }
          return query
            .orderBy("created_at")
            .orderBy("id")
            .limit(marker(1) as unknown as number)
            .compile();
        },
      );
    },

    async insertOperation(trx: Executor, row: Insertable<OperationTable>): Promise<void> {
      await insertRow(trx, "operations", row);
    },

    /**
     * PostgreSQL: inserts operations, each only if its subscription's `event_seq` is still the one given,
     * in one statement, its own transaction. The subscriptions are held `for share` meanwhile: a
     * transaction changing one of them waits for this statement, and this statement for it (then finding
     * it changed). Returns the ids of the subscriptions whose operation was inserted; a failed statement
     * (a second pending operation, say) inserts none and is told to `onFailure`.
     */
    async insertOperationsIfUnchanged(
      operations: ReadonlyArray<{ row: Insertable<OperationTable>; eventSeq: number }>,
      onFailure: (error: unknown) => void,
    ): Promise<Set<string>> {
      if (operations.length === 0) return new Set();
      const sorted = inIdOrder(operations, (operation) => operation.row.subscription_id);
      const columns = columnsOf(sorted[0]?.row ?? {})
        .map(quoted)
        .join(", ");
      const text = `with guard as (
  select s.id from subscriptions as s
  join unnest($2::text[], $3::int[]) as g(id, seq) on s.id = g.id and s.event_seq = g.seq
  where s.id = any($2::text[])
  for share of s
)
insert into operations (${columns})
select ${columns} from jsonb_populate_recordset(null::operations, $1::jsonb) as o
where o.subscription_id in (select id from guard)
returning subscription_id`;
      try {
        const rows = await runNamed<Database, { subscription_id: string }>(db, text, [
          JSON.stringify(sorted.map((operation) => operation.row)),
          sorted.map((operation) => operation.row.subscription_id),
          sorted.map((operation) => operation.eventSeq),
        ]);
        return new Set(rows.map((row) => row.subscription_id));
      } catch (error) {
        onFailure(error);
        return new Set();
      }
    },

    async pendingOperation(trx: Executor, subscriptionId: string): Promise<OperationRow | undefined> {
      const [row] = await selectWhere(trx, "operations", { subscription_id: subscriptionId, pending: 1 });
      return row;
    },

    async getOperation(subscriptionId: string, operationId: string, executor: Executor = db) {
      return executor
        .selectFrom("operations")
        .selectAll()
        .where("id", "=", operationId)
        .where("subscription_id", "=", subscriptionId)
        .executeTakeFirst();
    },

    async operationsAwaitingAck(subscriptionId: string): Promise<OperationRow[]> {
      return db
        .selectFrom("operations")
        .selectAll()
        .where("subscription_id", "=", subscriptionId)
        .where("status", "=", "InProgress")
        .where("source", "=", "Azure")
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    },

    transitionOperation,

    /**
     * `transitionOperation` for many operations at once (each at most once); returns the ids of those
     * moved. On PostgreSQL one statement per set of changed columns.
     */
    async transitionOperations(
      trx: Executor,
      transitions: readonly OperationTransition[],
    ): Promise<Set<string>> {
      const moved = new Set<string>();
      if (!isPostgres(trx)) {
        for (const { operationId, from, changes } of transitions) {
          if (await transitionOperation(trx, operationId, from, changes)) moved.add(operationId);
        }
        return moved;
      }
      const withPending = transitions.map((transition) => ({
        ...transition,
        changes: { ...transition.changes, pending: isFinal(transition.changes.status) ? null : 1 },
      }));
      for (const group of groupBy(withPending, (transition) => columnsOf(transition.changes).join(","))) {
        const set = columnsOf((group[0] as OperationTransition).changes)
          .map((column) => `${quoted(column)} = input.${quoted(column)}`)
          .join(", ");
        const rows = await runNamed<Database, { id: string }>(
          trx,
          `update operations as o set ${set}
from jsonb_populate_recordset(null::operations, $1::jsonb) as input
join unnest($2::text[], $3::text[]) as expected(id, status) on expected.id = input.id
where o.id = any($2::text[]) and o.id = input.id and o.status = expected.status
returning o.id`,
          [
            JSON.stringify(group.map(({ operationId, changes }) => ({ ...changes, id: operationId }))),
            group.map((transition) => transition.operationId),
            group.map((transition) => transition.from),
          ],
        );
        for (const row of rows) moved.add(row.id);
      }
      return moved;
    },

    /** Pending subscriptions whose delayed activation was requested at or before `requestedBefore`. */
    async dueActivations(requestedBefore: string, limit: number): Promise<SubscriptionRow[]> {
      return db
        .selectFrom("subscriptions")
        .selectAll()
        .where("status", "=", "PendingFulfillmentStart")
        .where("activation_requested_at", "<=", requestedBefore)
        .orderBy("activation_requested_at")
        .limit(limit)
        .execute();
    },

    /** Applies changes only while the subscription still has the expected status; false if it moved on. */
    async updateIfStatus(
      trx: Executor,
      id: string,
      status: SubscriptionRow["status"],
      changes: Updateable<SubscriptionTable>,
    ): Promise<boolean> {
      const result = await trx
        .updateTable("subscriptions")
        .set(changes)
        .where("id", "=", id)
        .where("status", "=", status)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async dueOperations(now: string, limit: number): Promise<OperationRow[]> {
      return db
        .selectFrom("operations")
        .selectAll()
        .where("pending", "=", 1)
        .where("due_at", "<=", now)
        .orderBy("due_at")
        .limit(limit)
        .execute();
    },
  };
}

export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;

/** An operation's move from one status to another (see `transitionOperation`). */
export interface OperationTransition {
  operationId: string;
  from: OperationRow["status"];
  changes: Updateable<OperationTable> & { status: OperationRow["status"] };
}

/** Whether an operation in this status is over (no longer holds its subscription's lock). */
function isFinal(status: OperationRow["status"]): boolean {
  return status === "Succeeded" || status === "Failed" || status === "Conflict";
}

/** True when the database refused a second pending operation for one subscription. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
