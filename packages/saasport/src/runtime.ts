import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { billingModule } from "./billing/module.js";
import { catalogModule } from "./catalog/module.js";
import {
  demoCredentials,
  type PreparedCatalog,
  type PublisherCredential,
  prepareCatalog,
} from "./catalog/prepare-catalog.js";
import { type Clock, systemClock } from "./clock/clock.js";
import { createClockService } from "./clock/clock-service.js";
import { clockModule } from "./clock/module.js";
import { baseUrl, databaseFile, type Settings } from "./config/settings.js";
import { createConsoleModule } from "./console/module.js";
import { connect, type DatabaseHandle } from "./db/connection.js";
import { migrateToLatest } from "./db/migrate.js";
import { demoIsvModule } from "./demo-isv/module.js";
import { eventsModule } from "./events/module.js";
import { createSignals } from "./events/signals.js";
import { faultsModule } from "./faults/module.js";
import { healthModule } from "./health/module.js";
import type { AppContext } from "./http/context.js";
import { sha256Hex } from "./http/operator-auth.js";
import { createHttpServer, registerModules } from "./http/server.js";
import { createPublisherAuthenticator } from "./identity/authenticator.js";
import { identityModule } from "./identity/module.js";
import { logMockApiVersionWarning, logNoAuthWarning } from "./identity/no-auth.js";
import { ensureSigningKey } from "./identity/signing-keys.js";
import { meteringModule } from "./metering/module.js";
import { openapiModule } from "./openapi/module.js";
import { privateOffersModule } from "./private-offers/module.js";
import { purchasesModule } from "./purchases/module.js";
import { fulfillmentModule } from "./subscriptions/module.js";
import { webhooksModule } from "./webhooks/module.js";

export interface SaasportHandle {
  url: string;
  settings: Settings;
  database: DatabaseHandle;
  app: FastifyInstance;
  operatorKey: string;
  /** The catalog this start runs with. */
  catalog: PreparedCatalog;
  /** The demo publishers' credentials, for the banner; empty unless this is a demo data directory. */
  demoCredentials: PublisherCredential[];
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
  const database = connect({
    databaseUrl: settings.databaseUrl,
    sqliteFile: databaseFile(settings),
    namedStatements: settings.namedStatements,
  });
  let app: FastifyInstance | undefined;
  try {
    await migrateToLatest(database.db);
    const operatorKey = settings.operatorKey ?? loadOrCreateOperatorKey(settings.dataDir);
    // Loaded only with --tls: the certificate generator is a large dependency that slows every start.
    const tls = settings.tls
      ? await (await import("./identity/tls.js")).ensureTlsCertificate(settings.dataDir)
      : undefined;
    app = createHttpServer({
      bodyLimitBytes: settings.bodyLimitBytes,
      logLevel: settings.logLevel,
      trustProxy: settings.trustProxy,
      https: tls && { key: tls.key, cert: tls.cert },
    });
    const clocks = createClockService(database.db, clock);
    await clocks.refresh();
    const ctx: AppContext = {
      settings,
      db: database.db,
      dialect: database.dialect,
      clock,
      clocks,
      signals: createSignals(),
      baseUrl: "",
      log: app.log,
      ready: false,
      operatorKeyHash: sha256Hex(operatorKey),
      deliveryListeners: [],
      marketplaceChange: undefined,
      clockMoveListeners: [],
      webhookFaults: undefined,
      publisherAuth: createPublisherAuthenticator({
        db: database.db,
        settings,
        clock,
        baseUrl: () => ctx.baseUrl,
        log: app.log,
      }),
    };
    const server = app;
    const workers = await registerModules(server, ctx, [
      openapiModule,
      healthModule,
      identityModule,
      faultsModule,
      fulfillmentModule,
      meteringModule,
      purchasesModule,
      catalogModule,
      privateOffersModule,
      billingModule,
      webhooksModule,
      clockModule,
      eventsModule,
      demoIsvModule,
      createConsoleModule({ operatorKey }),
    ]);
    await ensureSigningKey(database.db, clock.now());
    await app.listen({ host: settings.host, port: settings.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : settings.port;
    ctx.baseUrl = baseUrl({ ...settings, port });
    // After listen: `${SAASPORT_URL}` in catalog URLs needs the real port. /healthz says 503 until ready.
    const catalog = await prepareCatalog({
      db: database.db,
      settings,
      baseUrl: ctx.baseUrl,
      now: clock.now(),
    });
    for (const worker of workers) worker.start();
    ctx.ready = true;
    logNoAuthWarning(settings, server.log);
    logMockApiVersionWarning(settings, server.log);
    const credentials = await demoCredentials(database.db, catalog);
    return {
      url: ctx.baseUrl,
      settings: { ...settings, port },
      database,
      app,
      operatorKey,
      catalog,
      demoCredentials: credentials,
      async runBackgroundWork() {
        for (const worker of workers) await worker.runOnce();
      },
      async close() {
        for (const worker of workers) await worker.stop();
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}

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
