import type { Kysely } from "kysely";
import type { Clock } from "../../src/clock/clock.js";
import type { Settings } from "../../src/config/settings.js";
import { loadSettings } from "../../src/config/sources.js";
import type { Database } from "../../src/db/tables.js";
import { type SaasportHandle, startSaasport } from "../../src/runtime.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "./databases.js";

export interface TestServer {
  url: string;
  operatorKey: string;
  handle: SaasportHandle;
  database: TestDatabase;
  /** fetch against the server, with the base URL filled in. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  database: DatabaseKind;
  /** Share an existing database (several Saasport processes on one PostgreSQL); it is not disposed on stop. */
  shareDatabase?: TestDatabase;
  settings?: Partial<Settings>;
  clock?: Clock;
  /** Writes test data into the fresh database before the first request. */
  seed?: (db: Kysely<Database>) => Promise<void>;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

/** A real Saasport HTTP server on a free loopback port, on a fresh database of the given kind. */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const database = options.shareDatabase ?? (await createTestDatabase(options.database));
  const settings = loadSettings(
    {},
    {
      port: 0,
      dataDir: database.dataDir,
      databaseUrl: database.databaseUrl,
      logLevel: "silent",
      demoCatalog: false,
      ...options.settings,
    },
  );
  const handle = await startSaasport(settings, options.clock ? { clock: options.clock } : {});
  if (options.seed) await options.seed(handle.database.db);
  return {
    url: handle.url,
    operatorKey: handle.operatorKey,
    handle,
    database,
    fetch: (path, init) => fetch(`${handle.url}${path}`, init),
    async stop() {
      await handle.close();
      if (!options.shareDatabase) await database.dispose();
    },
  };
}

/** Two Saasport processes on one fresh PostgreSQL database, as an operator runs them; the first seeds it. */
export async function startTwoNodes(
  seed: (db: Kysely<Database>) => Promise<void>,
  settings: Partial<Settings> = {},
) {
  const database = await createTestDatabase("postgres");
  const first = await startTestServer({ database: "postgres", shareDatabase: database, seed, settings });
  const second = await startTestServer({ database: "postgres", shareDatabase: database, settings });
  return {
    database,
    first,
    second,
    async stop() {
      await first.stop();
      await second.stop();
      await database.dispose();
    },
  };
}
