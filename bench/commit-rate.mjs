import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";

/** Concurrent PostgreSQL clients; Saasport's own pool has 10 connections. */
export const postgresCommitClients = 10;

const payload = "x".repeat(100);

/**
 * Durable single-row commits per second on SQLite, configured as Saasport configures it (WAL,
 * synchronous=FULL): one INSERT per transaction, back to back, for `seconds`, in a file beside the
 * benchmark's data directories.
 */
function sqliteCommitRate(seconds) {
  const dir = mkdtempSync(join(tmpdir(), "saasport-commit-probe-"));
  const sqlite = new SQLite(join(dir, "probe.db"));
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.exec("CREATE TABLE commit_probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
    const insert = sqlite.prepare("INSERT INTO commit_probe (payload) VALUES (?)");
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let commits = 0;
    while (performance.now() < deadline) {
      insert.run(payload);
      commits++;
    }
    return { commitsPerSecond: commits / ((performance.now() - started) / 1000), clients: 1 };
  } finally {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function insertUntil(client, deadline) {
  let commits = 0;
  while (performance.now() < deadline) {
    await client.query("INSERT INTO commit_probe (payload) VALUES ($1)", [payload]);
    commits++;
  }
  return commits;
}

/**
 * Durable single-row commits per second on PostgreSQL: autocommit INSERTs from several clients at
 * once for `seconds`, in a scratch table of the given (fresh) database that is dropped afterwards.
 */
async function postgresCommitRate(databaseUrl, seconds) {
  const clients = Array.from(
    { length: postgresCommitClients },
    () => new pg.Client({ connectionString: databaseUrl }),
  );
  await Promise.all(clients.map((client) => client.connect()));
  try {
    await clients[0].query("CREATE TABLE commit_probe (id bigserial PRIMARY KEY, payload text NOT NULL)");
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const counts = await Promise.all(clients.map((client) => insertUntil(client, deadline)));
    const commits = counts.reduce((sum, count) => sum + count, 0);
    const commitsPerSecond = commits / ((performance.now() - started) / 1000);
    await clients[0].query("DROP TABLE commit_probe");
    return { commitsPerSecond, clients: clients.length };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** The raw durable commit rate of the database under test, the reference for the write endpoints. */
export function measureCommitRate(database, seconds) {
  return database.kind === "sqlite"
    ? sqliteCommitRate(seconds)
    : postgresCommitRate(database.databaseUrl, seconds);
}
