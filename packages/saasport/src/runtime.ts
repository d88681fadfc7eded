import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { catalogModule } from "./catalog/module.js";
import { type Clock, systemClock } from "./clock/clock.js";
import { type Settings, baseUrl, databaseFile } from "./config/settings.js";
import { type DatabaseHandle, connect } from "./db/connection.js";
import { migrateToLatest } from "./db/migrate.js";
import type { AppContext } from "./http/context.js";
import { ApiError } from "./http/errors.js";
import { sha256Hex } from "./http/operator-auth.js";
import { createHttpServer, registerModules } from "./http/server.js";
import { healthModule } from "./health/module.js";
import { openapiModule } from "./openapi/module.js";
import type { PublisherAuthenticator } from "./identity/principal.js";
import { purchasesModule } from "./purchases/module.js";
import { fulfillmentModule } from "./subscriptions/module.js";

export interface SaasportHandle {
  url: string;
  settings: Settings;
  database: DatabaseHandle;
  app: FastifyInstance;
  operatorKey: string;
  /** Runs every background worker once, until nothing due is left. */
  runBackgroundWork(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
}

/** Opens the database, applies migrations, loads the catalog, and starts listening. */
export async function startSaasport(settings: Settings, options: StartOptions = {}): Promise<SaasportHandle> {
  mkdirSync(settings.dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  const database = connect({ databaseUrl: settings.databaseUrl, sqliteFile: databaseFile(settings) });
  try {
    await migrateToLatest(database.db);
    const operatorKey = settings.operatorKey ?? loadOrCreateOperatorKey(settings.dataDir);
    const app = createHttpServer({ bodyLimitBytes: settings.bodyLimitBytes, logLevel: settings.logLevel });
    const ctx: AppContext = {
      settings,
      db: database.db,
      dialect: database.dialect,
      clock,
      baseUrl: "",
      log: app.log,
      operatorKeyHash: sha256Hex(operatorKey),
      publisherAuth: rejectAll,
    };
    const workers = await registerModules(app, ctx, [openapiModule, healthModule, fulfillmentModule, purchasesModule, catalogModule]);
    await app.listen({ host: settings.host, port: settings.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : settings.port;
    ctx.baseUrl = baseUrl({ ...settings, port });
    for (const worker of workers) worker.start();
    return {
      url: ctx.baseUrl,
      settings: { ...settings, port },
      database,
      app,
      operatorKey,
      async runBackgroundWork() {
        for (const worker of workers) await worker.runOnce();
      },
      async close() {
        for (const worker of workers) await worker.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

const rejectAll: PublisherAuthenticator = {
  async authenticate() {
    throw new ApiError("Unauthorized");
  },
};

/** Without --operator-key, the key is generated once and kept (mode 0600) in the data directory. */
function loadOrCreateOperatorKey(dataDir: string): string {
  const file = join(dataDir, "operator-key");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing) return existing;
  } catch {
    // first start: fall through and create it
  }
  const key = `spo_${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
