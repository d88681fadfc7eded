import type { Settings } from "../../src/config/settings.js";
import { loadSettings } from "../../src/config/sources.js";
import { type SaasportHandle, startSaasport } from "../../src/runtime.js";
import { type DatabaseKind, type TestDatabase, createTestDatabase } from "./databases.js";

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
  settings?: Partial<Settings>;
}

/** A real Saasport HTTP server on a free loopback port, on a fresh database of the given kind. */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const database = await createTestDatabase(options.database);
  const settings = loadSettings(
    {},
    {
      port: 0,
      dataDir: database.dataDir,
      databaseUrl: database.databaseUrl,
      logLevel: "silent",
      ...options.settings,
    },
  );
  const handle = await startSaasport(settings);
  return {
    url: handle.url,
    operatorKey: handle.operatorKey,
    handle,
    database,
    fetch: (path, init) => fetch(`${handle.url}${path}`, init),
    async stop() {
      await handle.close();
      await database.dispose();
    },
  };
}
