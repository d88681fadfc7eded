import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { selectWhere } from "../../src/db/prepared.js";
import type { Database } from "../../src/db/tables.js";
import { type MigratedDatabase, openMigratedDatabase } from "../catalog/support/database.js";
import { createTestDatabase, databaseKinds } from "../support/databases.js";

// Named statements exist on PostgreSQL only; SQLite keeps its prepared statements itself (sqlite-statements.ts).
describe.skipIf(!databaseKinds.includes("postgres"))("named statements on PostgreSQL", () => {
  let database: MigratedDatabase;
  beforeEach(async () => {
    database = await openMigratedDatabase("postgres");
    await database.db.insertInto("meta").values({ key: "k", value: "v" }).execute();
  });
  afterEach(async () => database?.dispose());

  const preparedOnThisConnection = async (db: Kysely<Database>) =>
    (
      await sql<{
        name: string;
        statement: string;
      }>`select name, statement from pg_prepared_statements where name like 'saasport_%'`.execute(db)
    ).rows;

  const readMeta = (db: Kysely<Database>) => selectWhere<Database, "meta">(db, "meta", { key: "k" });

  it("prepares a statement compiled once per shape on first use and runs it by name afterwards", async () => {
    await database.db.connection().execute(async (connection) => {
      expect(await readMeta(connection)).toEqual([{ key: "k", value: "v" }]);
      const prepared = await preparedOnThisConnection(connection);
      const meta = prepared.filter((row) => row.statement.includes('from "meta"'));
      expect(meta).toHaveLength(1);
      await readMeta(connection);
      await readMeta(connection);
      expect(await preparedOnThisConnection(connection)).toEqual(prepared);
      // Plain Kysely queries stay unnamed: the set of prepared statements does not grow with them.
      await connection.selectFrom("meta").selectAll().where("key", "in", ["a", "b", "c"]).execute();
      expect(await preparedOnThisConnection(connection)).toEqual(prepared);
    });
  });

  it("prepares the statement again when a schema change alters its result, retrying a call outside a transaction", async () => {
    await database.db.connection().execute(async (connection) => {
      await readMeta(connection);
      await sql`alter table meta add column extra text not null default 'x'`.execute(connection);
      expect(await readMeta(connection)).toEqual([{ key: "k", value: "v", extra: "x" }]);
      expect(await readMeta(connection)).toEqual([{ key: "k", value: "v", extra: "x" }]);
    });
  });

  it("lets the error stand inside a transaction, which PostgreSQL has aborted, and recovers after it", async () => {
    await database.db.connection().execute(async (connection) => {
      await readMeta(connection);
      await sql`alter table meta add column extra text not null default 'x'`.execute(connection);
      await expect(connection.transaction().execute((trx) => readMeta(trx))).rejects.toThrow(
        /cached plan must not change result type/,
      );
      expect(await connection.transaction().execute((trx) => readMeta(trx))).toEqual([
        { key: "k", value: "v", extra: "x" },
      ]);
    });
  });
});

describe.skipIf(!databaseKinds.includes("postgres"))("PostgreSQL with named statements turned off", () => {
  it("runs every statement unnamed", async () => {
    const database = await createTestDatabase("postgres");
    const handle = connect({ databaseUrl: database.databaseUrl, sqliteFile: "", namedStatements: false });
    try {
      await migrateToLatest(handle.db);
      await handle.db.connection().execute(async (connection) => {
        await selectWhere<Database, "meta">(connection, "meta", { key: "k" });
        await selectWhere<Database, "meta">(connection, "meta", { key: "k" });
        const prepared = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(
          connection,
        );
        expect(prepared.rows).toEqual([]);
      });
    } finally {
      await handle.close();
      await database.dispose();
    }
  });
});
