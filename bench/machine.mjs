import os from "node:os";
import SQLite from "better-sqlite3";
import pg from "pg";

async function databaseVersion(kind, adminUrl) {
  if (kind === "sqlite") {
    const sqlite = new SQLite(":memory:");
    try {
      return `SQLite ${sqlite.prepare("select sqlite_version() as version").get().version} (better-sqlite3, WAL; reference commits synchronous=FULL, Saasport synchronous=NORMAL with the log synced before each acknowledgement)`;
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const version = (await client.query("show server_version")).rows[0].server_version;
    const fsync = (await client.query("show fsync")).rows[0].fsync;
    const synchronousCommit = (await client.query("show synchronous_commit")).rows[0].synchronous_commit;
    return `PostgreSQL ${version} (fsync=${fsync}, synchronous_commit=${synchronousCommit})`;
  } finally {
    await client.end();
  }
}

/** What the numbers were measured on. */
export async function machineDetails(options) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    database: await databaseVersion(options.database, options.adminUrl),
    loadAverage: os.loadavg()[0],
    date: new Date().toISOString(),
  };
}
