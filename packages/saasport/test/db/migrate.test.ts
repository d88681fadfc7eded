import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../src/db/connection.js";
import { migrateToLatest, migrateUpTo } from "../../src/db/migrate.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

describe.each(databaseKinds)("migrations on %s", (kind) => {
  let database: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    await database?.dispose();
  });

  async function open(): Promise<DatabaseHandle> {
    database = await createTestDatabase(kind);
    handle = connect({
      databaseUrl: database.databaseUrl,
      sqliteFile: join(database.dataDir, "saasport.db"),
    });
    return handle;
  }

  const appliedNames = async (handle: DatabaseHandle) =>
    (
      await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handle.db)
    ).rows.map((row) => row.name);

  it("brings a new database to the latest schema, and a second start finds nothing to do", async () => {
    const { db } = await open();
    await migrateToLatest(db);
    const names = await appliedNames(handle as DatabaseHandle);
    expect(names[0]).toBe("0001-foundation");
    expect(names).toContain("0016-activation-requests-index");
    await migrateToLatest(db);
    expect(await appliedNames(handle as DatabaseHandle)).toEqual(names);
  });

  it("applies what an older database lacks", async () => {
    const { db } = await open();
    await migrateUpTo(db, "0014-suspended-index");
    expect((await appliedNames(handle as DatabaseHandle)).at(-1)).toBe("0014-suspended-index");
    await migrateToLatest(db);
    expect(await appliedNames(handle as DatabaseHandle)).toEqual(
      expect.arrayContaining(["0014-suspended-index", "0015-usage-daily", "0016-activation-requests-index"]),
    );
  });

  it("refuses a database that a newer version migrated", async () => {
    const { db } = await open();
    await migrateToLatest(db);
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
      db,
    );
    await expect(migrateToLatest(db)).rejects.toThrow(/9999-from-the-future/);
  });
});
