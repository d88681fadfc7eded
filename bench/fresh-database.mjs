import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
 */
export async function createFreshDatabase(kind, adminUrl) {
  const dataDir = mkdtempSync(join(tmpdir(), "saasport-bench-"));
  if (kind === "sqlite") {
    return {
      kind,
      dataDir,
      databaseUrl: undefined,
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
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
