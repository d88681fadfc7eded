import { join } from "node:path";
import type { Kysely } from "kysely";
import { connect, type DatabaseHandle } from "../../../src/db/connection.js";
import { migrateToLatest } from "../../../src/db/migrate.js";
import type { Database } from "../../../src/db/tables.js";
import { createTestDatabase, type DatabaseKind } from "../../support/databases.js";

export interface MigratedDatabase {
  db: Kysely<Database>;
  /** The PostgreSQL URL, or undefined for SQLite. */
  databaseUrl: string | undefined;
  sqliteFile: string;
  dispose(): Promise<void>;
}

/** A fresh, migrated database of the given kind, without a server. */
export async function openMigratedDatabase(kind: DatabaseKind): Promise<MigratedDatabase> {
  const database = await createTestDatabase(kind);
  const sqliteFile = join(database.dataDir, "saasport.db");
  const handle = connect({ databaseUrl: database.databaseUrl, sqliteFile });
  await migrateToLatest(handle.db);
  return {
    db: handle.db,
    databaseUrl: database.databaseUrl,
    sqliteFile,
    async dispose() {
      await handle.close();
      await database.dispose();
    },
  };
}

/** Every row the catalog writes, for "nothing changed" comparisons. */
export async function catalogRows(db: Kysely<Database>) {
  return {
    meta: await db.selectFrom("meta").selectAll().where("key", "like", "catalog.%").orderBy("key").execute(),
    publishers: await db.selectFrom("publishers").selectAll().orderBy("id").execute(),
    offers: await db.selectFrom("offers").selectAll().orderBy("publisher_id").orderBy("offer_id").execute(),
    plans: await db
      .selectFrom("plans")
      .selectAll()
      .orderBy("publisher_id")
      .orderBy("offer_id")
      .orderBy("plan_id")
      .execute(),
    secrets: await db.selectFrom("publisher_secrets").selectAll().orderBy("id").execute(),
    certificates: await db.selectFrom("publisher_certificates").selectAll().orderBy("id").execute(),
  };
}

/** A second connection to the same database, as another Saasport process would have. */
export function connectAgain(database: MigratedDatabase): DatabaseHandle {
  return connect({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile });
}
