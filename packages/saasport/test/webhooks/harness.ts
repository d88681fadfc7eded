import type { FastifyInstance } from "fastify";
import { systemClock } from "../../src/clock/clock.js";
import { createClockService } from "../../src/clock/clock-service.js";
import { databaseFile, defaultLifecycle, type LifecycleSettings } from "../../src/config/settings.js";
import { loadSettings } from "../../src/config/sources.js";
import { connect, type DatabaseHandle } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createSignals } from "../../src/events/signals.js";
import type { WebhookFaultSource } from "../../src/faults/directive.js";
import type { AppContext } from "../../src/http/context.js";
import type { BackgroundWorker } from "../../src/http/module.js";
import { sha256Hex } from "../../src/http/operator-auth.js";
import { createHttpServer } from "../../src/http/server.js";
import { createPublisherAuthenticator } from "../../src/identity/authenticator.js";
import type { DeliveryListener, DeliveryNotice } from "../../src/webhooks/listener.js";
import { webhooksModule } from "../../src/webhooks/module.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";

export type Told =
  | { kind: "delivered"; notice: DeliveryNotice }
  | { kind: "rejected"; notice: DeliveryNotice; statusCode: number }
  | { kind: "gaveUp"; notice: DeliveryNotice };

/**
 * The webhooks module on its own, registered with a real database, signals and app context, so a test
 * can add a delivery listener and a fault source the way other modules do at start-up.
 */
export interface WebhookHarness {
  database: DatabaseHandle;
  ctx: AppContext;
  worker: BackgroundWorker;
  told: Told[];
  stop(): Promise<void>;
}

export async function startWebhookHarness(
  kind: DatabaseKind,
  options: { lifecycle?: Partial<LifecycleSettings>; faults?: WebhookFaultSource } = {},
): Promise<WebhookHarness> {
  const testDatabase: TestDatabase = await createTestDatabase(kind);
  const settings = loadSettings(
    {},
    {
      dataDir: testDatabase.dataDir,
      databaseUrl: testDatabase.databaseUrl,
      logLevel: "silent",
      lifecycle: { ...defaultLifecycle, ...options.lifecycle },
    },
  );
  const database = connect({ databaseUrl: testDatabase.databaseUrl, sqliteFile: databaseFile(settings) });
  await migrateToLatest(database.db);
  await seedFixtureCatalog(database.db);
  const app: FastifyInstance = createHttpServer({ bodyLimitBytes: 1_000_000, logLevel: "silent" });
  const told: Told[] = [];
  const listener: DeliveryListener = {
    delivered: async (notice) => void told.push({ kind: "delivered", notice }),
    rejected: async (notice, statusCode) => void told.push({ kind: "rejected", notice, statusCode }),
    gaveUp: async (notice) => void told.push({ kind: "gaveUp", notice }),
  };
  const ctx: AppContext = {
    settings,
    db: database.db,
    dialect: database.dialect,
    clock: systemClock,
    clocks: createClockService(database.db, systemClock),
    signals: createSignals(),
    baseUrl: "http://saasport.test",
    log: app.log,
    ready: true,
    operatorKeyHash: sha256Hex("operator-key"),
    publisherAuth: createPublisherAuthenticator({
      db: database.db,
      settings,
      clock: systemClock,
      baseUrl: () => ctx.baseUrl,
      log: app.log,
    }),
    deliveryListeners: [listener],
    marketplaceChange: undefined,
    clockMoveListeners: [],
    webhookFaults: options.faults,
  };
  const worker = await webhooksModule.register(app, ctx);
  if (!worker) throw new Error("the webhooks module returned no dispatcher");
  worker.start();
  return {
    database,
    ctx,
    worker,
    told,
    async stop() {
      await worker.stop();
      await app.close();
      await database.close();
      await testDatabase.dispose();
    },
  };
}
