import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

/** The PostgreSQL server the storage tests use; each test file gets a fresh database on it. */
const adminUrl = process.env.SAASPORT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export default async function setup(project: TestProject): Promise<void> {
  const reachable = await canConnect(adminUrl);
  if (!reachable) {
    if (process.env.CI) {
      throw new Error(`PostgreSQL is not reachable at ${adminUrl}; in CI the PostgreSQL suite must run.`);
    }
    const banner = "!".repeat(78);
    console.warn(
      `\n${banner}\n!! PostgreSQL is not reachable at ${adminUrl}.\n!! The PostgreSQL half of every storage test DID NOT RUN; only SQLite was tested.\n!! Start PostgreSQL (or set SAASPORT_TEST_POSTGRES_URL) to run them.\n${banner}\n`,
    );
  }
  project.provide("postgresAdminUrl", reachable ? adminUrl : "");
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
