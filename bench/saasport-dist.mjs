import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const packageDir = join(repositoryRoot, "packages/saasport");
export const cliScript = join(packageDir, "bin/saasport.js");
const distDir = join(packageDir, "dist");

/** Loads the compiled Saasport modules the benchmark seeds the database with. */
export async function loadSaasportModules() {
  if (!existsSync(join(distDir, "runtime.js"))) {
    throw new Error("packages/saasport/dist is missing; run `npm run build` first.");
  }
  const load = (path) => import(join(distDir, path));
  const [connection, migrate, settings, secrets] = await Promise.all([
    load("db/connection.js"),
    load("db/migrate.js"),
    load("config/settings.js"),
    load("identity/secrets.js"),
  ]);
  return {
    connect: connection.connect,
    migrateToLatest: migrate.migrateToLatest,
    databaseFile: settings.databaseFile,
    registerClientSecret: secrets.registerClientSecret,
  };
}

/** Opens the benchmark's fresh database with Saasport's own connection code and brings its schema up to date. */
export async function openDatabase(saasport, database) {
  const handle = saasport.connect({
    databaseUrl: database.databaseUrl,
    sqliteFile: saasport.databaseFile({ dataDir: database.dataDir }),
  });
  await saasport.migrateToLatest(handle.db);
  return handle;
}
