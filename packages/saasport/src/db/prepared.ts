import {
  type CompiledQuery,
  type InsertObject,
  type Kysely,
  PostgresAdapter,
  type Selectable,
  sql,
  type Transaction,
  type UpdateObject,
} from "kysely";
import { nameStatement } from "./pg-statement-names.js";
import { readNowOf } from "./read-now.js";

type Executor<DB> = Kysely<DB> | Transaction<DB>;

/**
 * Kysely builds and compiles every query anew; for the short statements of a request that costs more
 * than SQLite takes to run them. The hottest statements are compiled once per shape (table and columns)
 * and run again with new values. Values are bound by position: each is compiled from a distinct marker, and
 * the compiled statement's parameters say which marker went where, whatever order the dialect uses.
 */
interface Shape {
  compiled: CompiledQuery;
  /** For each parameter of the compiled statement, the index of the value it takes. */
  slots: number[];
}

// Per adapter: the SQL differs between SQLite and PostgreSQL, and a transaction shares its database's.
const shapesByAdapter = new WeakMap<object, Map<string, Shape>>();

function marker(index: number): string {
  return `\u0000saasport-value-${index}`;
}

/**
 * Runs the statement of `key`'s shape with `values`. On first use `compile` builds it with `marker(i)`
 * standing for value `i`. A `read` may run at once on a free connection (see db/read-now.ts).
 */
function runShape<DB>(
  executor: Executor<DB>,
  key: string,
  values: readonly unknown[],
  compile: () => CompiledQuery,
  read = false,
) {
  const adapter = executor.getExecutor().adapter;
  let shapes = shapesByAdapter.get(adapter);
  if (!shapes) {
    shapes = new Map();
    shapesByAdapter.set(adapter, shapes);
  }
  let shape = shapes.get(key);
  if (!shape) {
    const compiled = compile();
    const slots = compiled.parameters.map((parameter) => {
      for (let index = 0; index < values.length; index++) if (parameter === marker(index)) return index;
      throw new Error(`A prepared statement has a parameter that is none of its values: ${compiled.sql}`);
    });
    shape = { compiled, slots };
    shapes.set(key, shape);
    if (adapter instanceof PostgresAdapter) nameStatement(compiled.sql);
  }
  const { compiled, slots } = shape;
  const parameters = slots.map((slot) => values[slot]);
  const now = read ? readNowOf(executor)?.(compiled.sql, parameters) : undefined;
  return now ?? executor.executeQuery({ ...compiled, parameters });
}

/**
 * A statement of its own shape, compiled once: `compile(marker)` builds it with `marker(i)` standing for
 * `values[i]`, and later calls with the same `key` only bind new values. For the hot statements that
 * the helpers below do not cover (a join, say).
 */
export async function runPrepared<DB, R>(
  executor: Executor<DB>,
  key: string,
  values: readonly unknown[],
  compile: (marker: (index: number) => string) => CompiledQuery,
): Promise<R[]> {
  const result = await runShape(executor, `prepared ${key}`, values, () => compile(marker), true);
  return result.rows as R[];
}

/** Plain values only: an expression (sql``, a subquery) is compiled into the statement, not bound. */
function isBindable(value: unknown): boolean {
  return value === null || typeof value !== "object" || value instanceof Uint8Array;
}

function definedEntries(object: object): Array<[string, unknown]> {
  return Object.entries(object).filter(([, value]) => value !== undefined);
}

/**
 * `insert into <table> (...) values (...)` for one row; columns whose value is undefined are left out.
 * With `ignoreConflictOn`, a row that would break that unique column is skipped (`on conflict do
 * nothing`). Returns the number of rows inserted.
 */
export async function insertRow<DB, T extends keyof DB & string>(
  executor: Executor<DB>,
  table: T,
  row: InsertObject<DB, T>,
  options: { ignoreConflictOn?: string } = {},
): Promise<number> {
  const entries = definedEntries(row as object);
  const build = (values: object) => {
    // biome-ignore lint/suspicious/noExplicitAny: the values are the caller's typed row, or markers for it.
    const insert = executor.insertInto(table).values(values as any);
    const column = options.ignoreConflictOn;
    // biome-ignore lint/suspicious/noExplicitAny: the conflict column is one of the table's columns.
    return column ? insert.onConflict((conflict) => conflict.column(column as any).doNothing()) : insert;
  };
  if (!entries.every(([, value]) => isBindable(value))) {
    const result = await build(row as object).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  const key = `insert ${table} ${entries.map(([column]) => column).join(",")} ${options.ignoreConflictOn ?? ""}`;
  const values = entries.map(([, value]) => value);
  const result = await runShape(executor, key, values, () =>
    build(Object.fromEntries(entries.map(([column], index) => [column, marker(index)]))).compile(),
  );
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * `update <table> set ... where a = ? and b = ?` with equality conditions only; returns the number of
 * rows changed.
 */
export async function updateWhere<DB, T extends keyof DB & string>(
  executor: Executor<DB>,
  table: T,
  changes: UpdateObject<DB, T>,
  where: Record<string, string | number>,
): Promise<number> {
  const set = definedEntries(changes as object);
  const conditions = Object.entries(where);
  const values = [...set, ...conditions].map(([, value]) => value);
  const build = (setTo: object, conditionValue: (index: number) => unknown) => {
    // biome-ignore lint/suspicious/noExplicitAny: the changes are the caller's typed changes, or markers.
    let query = (executor.updateTable(table) as any).set(setTo);
    conditions.forEach(([column], index) => {
      query = query.where(column, "=", conditionValue(index));
    });
    return query as { compile(): CompiledQuery; executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> };
  };
  if (!values.every(isBindable)) {
    const result = await build(changes as object, (index) => conditions[index]?.[1]).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
  const key = `update ${table} ${set.map(([column]) => column).join(",")} where ${conditions.map(([column]) => column).join(",")}`;
  const result = await runShape(executor, key, values, () =>
    build(Object.fromEntries(set.map(([column], index) => [column, marker(index)])), (index) =>
      marker(set.length + index),
    ).compile(),
  );
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * `select <columns or *> from <table> where a = ? and b = ?`, optionally with a limit and `for update`
 * (PostgreSQL only: SQLite has one writer and no such clause).
 */
export async function selectWhere<DB, T extends keyof DB & string, R = Selectable<DB[T]>>(
  executor: Executor<DB>,
  table: T,
  where: Record<string, string | number>,
  options: { columns?: readonly string[]; forUpdate?: boolean; limit?: number } = {},
): Promise<R[]> {
  const conditions = Object.entries(where);
  const values: unknown[] = conditions.map(([, value]) => value);
  if (options.limit !== undefined) values.push(options.limit);
  const key = `select ${table} ${options.columns?.join(",") ?? "*"} where ${conditions.map(([column]) => column).join(",")} ${options.forUpdate ? "for update" : ""} ${options.limit === undefined ? "" : "limit"}`;
  const result = await runShape(
    executor,
    key,
    values,
    () => {
      // biome-ignore lint/suspicious/noExplicitAny: the columns and conditions are the table's.
      let query = executor.selectFrom(table as any) as any;
      query = options.columns ? query.select(options.columns) : query.selectAll();
      conditions.forEach(([column], index) => {
        query = query.where(column, "=", marker(index));
      });
      if (options.limit !== undefined) query = query.limit(marker(conditions.length));
      if (options.forUpdate) query = query.forUpdate();
      return query.compile();
    },
    true,
  );
  return result.rows as R[];
}

/**
 * Inserts `row` into `table` (skipping it on a conflict on `ignoreConflictOn`) and, only when it was
 * inserted, applies `changes` to the rows of `updateTable` matching `where`. On PostgreSQL this is one
 * statement (the insert as a data-modifying WITH clause), one round trip instead of two; SQLite, in
 * process, runs the two statements. Returns whether the update was made: false when the row was skipped
 * (or nothing matched `where`).
 */
export async function insertThenUpdate<DB, T extends keyof DB & string, U extends keyof DB & string>(
  executor: Executor<DB>,
  insert: { table: T; row: InsertObject<DB, T>; ignoreConflictOn: string },
  update: { table: U; changes: UpdateObject<DB, U>; where: Record<string, string | number> },
): Promise<boolean> {
  const rowEntries = definedEntries(insert.row as object);
  const set = definedEntries(update.changes as object);
  const conditions = Object.entries(update.where);
  const values = [...rowEntries, ...set, ...conditions].map(([, value]) => value);
  const isPostgres = executor.getExecutor().adapter instanceof PostgresAdapter;
  if (!isPostgres || !values.every(isBindable)) {
    const inserted = await insertRow(executor, insert.table, insert.row, {
      ignoreConflictOn: insert.ignoreConflictOn,
    });
    if (inserted === 0) return false;
    return (await updateWhere(executor, update.table, update.changes, update.where)) > 0;
  }
  const key = `insert ${insert.table} ${rowEntries.map(([column]) => column).join(",")} ${insert.ignoreConflictOn} then update ${update.table} ${set.map(([column]) => column).join(",")} where ${conditions.map(([column]) => column).join(",")}`;
  const result = await runShape(executor, key, values, () => {
    let index = 0;
    const next = () => marker(index++);
    const row = Object.fromEntries(rowEntries.map(([column]) => [column, next()]));
    const setTo = Object.fromEntries(set.map(([column]) => [column, next()]));
    // biome-ignore lint/suspicious/noExplicitAny: the tables and columns are the caller's typed ones.
    const builder = executor as any;
    let query = builder
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      .with("inserted", (db: any) =>
        db
          .insertInto(insert.table)
          .values(row)
          // biome-ignore lint/suspicious/noExplicitAny: as above.
          .onConflict((conflict: any) => conflict.column(insert.ignoreConflictOn).doNothing())
          .returning(sql<number>`1`.as("one")),
      )
      .updateTable(update.table)
      .set(setTo);
    for (const [column] of conditions) query = query.where(column, "=", next());
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    query = query.where((eb: any) => eb.exists(eb.selectFrom("inserted").select(sql<number>`1`.as("one"))));
    return query.compile();
  });
  return Number(result.numAffectedRows ?? 0n) > 0;
}
