import type SQLite from "better-sqlite3";

/** A prepared statement as the SQLite driver runs it: parameters as one array, rows as objects. */
export interface CachedStatement {
  /** Returns rows (a SELECT, or a write with RETURNING). */
  readonly reader: boolean;
  /** Changes nothing in the database. */
  readonly readonly: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

export interface StatementCache {
  prepare(sql: string): CachedStatement;
  close(): void;
}

/**
 * Kysely's SQLite driver prepares every statement anew on each call; preparing costs about twice what
 * running a small query does. Statements are reusable, and the driver runs each to completion before
 * the next, so a bounded cache of prepared statements is safe.
 */
export function withStatementCache(sqlite: SQLite.Database, capacity = 500): StatementCache {
  const statements = new Map<string, CachedStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= capacity) statements.delete(statements.keys().next().value as string);
        statement = withFastRows(sqlite.prepare(sql));
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

type Row = Record<string, unknown>;

/**
 * Rows of a reading statement, built by a function compiled for its columns. better-sqlite3 builds each
 * row object one property at a time, which for the 37 columns of a subscription costs five times the
 * query itself; raw arrays turned into objects of one fixed shape cost next to nothing. Later columns
 * of the same name win, as in better-sqlite3's own objects.
 */
function withFastRows(statement: SQLite.Statement): CachedStatement {
  if (!statement.reader) {
    return {
      reader: false,
      readonly: statement.readonly,
      all: () => [],
      run: (parameters) => statement.run(...parameters),
      iterate: () => [][Symbol.iterator](),
    };
  }
  const names = statement.columns().map((column) => column.name);
  const toRow = new Function(
    "values",
    `return { ${names.map((name, index) => `${JSON.stringify(name)}: values[${index}]`).join(", ")} };`,
  ) as (values: unknown[]) => Row;
  statement.raw(true);
  return {
    reader: true,
    readonly: statement.readonly,
    all: (parameters) => (statement.all(...parameters) as unknown[][]).map(toRow),
    run: (parameters) => statement.run(...parameters),
    *iterate(parameters) {
      for (const values of statement.iterate(...parameters) as IterableIterator<unknown[]>)
        yield toRow(values);
    },
  };
}
