import { CompiledQuery, type Kysely, PostgresAdapter, type Transaction } from "kysely";
import { nameStatement } from "./pg-statement-names.js";
import { insertRow } from "./prepared.js";

type Executor<DB> = Kysely<DB> | Transaction<DB>;

// Statements over many rows whose text depends only on their columns. On PostgreSQL the rows travel as
// one JSON array that `jsonb_populate_recordset(null::<table>, $n)` turns into rows of the table's own
// types, so each statement is one round trip, and a named one, whatever the number of rows. SQLite runs
// in process, where one statement per row costs little.

export function isPostgres<DB>(executor: Executor<DB>): boolean {
  return executor.getExecutor().adapter instanceof PostgresAdapter;
}

/** The columns of `row` that have a value (undefined ones are left out, as Kysely does). */
export function columnsOf(row: object): string[] {
  return Object.entries(row)
    .filter(([, value]) => value !== undefined)
    .map(([column]) => column);
}

export const quoted = (column: string) => `"${column}"`;

/**
 * `items` in the order of their subscription ids (as plain text), the order in which batches lock their
 * rows, so that two statements locking overlapping sets do not deadlock.
 */
export function inIdOrder<T>(items: readonly T[], idOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const x = idOf(a);
    const y = idOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Groups `items` by the key `keyOf` gives, in their order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

/** Runs a statement of `text` by name on PostgreSQL. */
export async function runNamed<DB, Row>(
  executor: Executor<DB>,
  text: string,
  parameters: readonly unknown[],
): Promise<Row[]> {
  nameStatement(text);
  return (await executor.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]))).rows;
}

/** Inserts rows (all with the same columns defined) into `table`: one statement on PostgreSQL. */
export async function insertJsonRows<DB, T extends keyof DB & string>(
  executor: Executor<DB>,
  table: T,
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  if (!isPostgres(executor)) {
    // biome-ignore lint/suspicious/noExplicitAny: the rows are the caller's typed rows of `table`.
    for (const row of rows) await insertRow(executor, table, row as any);
    return;
  }
  for (const group of groupBy(rows, (row) => columnsOf(row).join(","))) {
    const columns = columnsOf(group[0] as object)
      .map(quoted)
      .join(", ");
    await runNamed(
      executor,
      `insert into ${table} (${columns}) select ${columns} from jsonb_populate_recordset(null::${table}, $1::jsonb)`,
      [JSON.stringify(group)],
    );
  }
}
