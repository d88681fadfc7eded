import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";

async function adminQuery(adminUrl, statement) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty place for Saasport's data: a data directory, and on PostgreSQL also a new database on
 * the admin server. `dispose` removes both.
 *
 * `afterSeeding(db)` runs ANALYZE on PostgreSQL. PostgreSQL plans from statistics that autovacuum
 * gathers about a minute after a table changes a lot; a table loaded seconds before a run has none,
 * and the planner then takes the thousands of seeded rows for a dozen (the list's keyset query sorted
 * the publisher's every subscription for each page instead of reading 101 rows of its index). A
 * database in use has its statistics. SQLite has none unless ANALYZE is run, and Saasport never runs it.
 */
export async function createFreshDatabase(kind, adminUrl) {
  const dataDir = mkdtempSync(join(tmpdir(), "saasport-bench-"));
  if (kind === "sqlite") {
    return {
      kind,
      dataDir,
      databaseUrl: undefined,
      afterSeeding: async () => {},
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `saasport_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    dataDir,
    databaseUrl: url.toString(),
    async afterSeeding(db) {
      await sql`analyze`.execute(db);
    },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
