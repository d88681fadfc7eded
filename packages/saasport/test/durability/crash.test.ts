import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { databaseFile } from "../../src/config/settings.js";
import { connect } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import type { Database } from "../../src/db/tables.js";
import { seedMeteringCatalog } from "../metering/metering-support.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { apiVersion, marketplaceResource } from "../support/marketplace-client.js";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "../../bin/saasport.js");
const operatorKey = "crash-test-operator-key";

interface RunningServer {
  child: ChildProcess;
  url: string;
}

/** Starts the real CLI (compiled by `npm test`'s build step) and waits for its banner. */
function startCli(database: TestDatabase, env: Record<string, string> = {}): Promise<RunningServer> {
  const args = [bin, "serve", "--port", "0", "--data", database.dataDir, "--operator-key", operatorKey];
  if (database.databaseUrl) args.push("--database-url", database.databaseUrl);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, SAASPORT_DEMO_CATALOG: "false", SAASPORT_LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolvePromise, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[1] });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** Migrates the database and writes the test's data before the CLI server starts on it. */
async function prepareDatabase(database: TestDatabase, seed: (db: Kysely<Database>) => Promise<void>) {
  const setup = connect({
    databaseUrl: database.databaseUrl,
    sqliteFile: databaseFile({ dataDir: database.dataDir }),
  });
  try {
    await migrateToLatest(setup.db);
    await seed(setup.db);
  } finally {
    await setup.close();
  }
}

async function token(url: string): Promise<string> {
  const response = await fetch(`${url}/${fixture.contoso.tenantId}/oauth2/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: fixture.contoso.appId,
      client_secret: fixture.contoso.secret,
      resource: marketplaceResource,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe.each(databaseKinds)("kill -9 on %s", (kind) => {
  let database: TestDatabase | undefined;
  let running: RunningServer | undefined;
  afterEach(async () => {
    running?.child.kill("SIGKILL");
    await database?.dispose();
  });

  it("loses no purchase or activation that was acknowledged with a 2xx", { timeout: 90_000 }, async () => {
    database = await createTestDatabase(kind);
    await prepareDatabase(database, seedFixtureCatalog);

    running = await startCli(database);
    const url = running.url;
    const bearer = await token(url);
    const purchased: string[] = [];
    const activated: string[] = [];
    const workers = Array.from({ length: 8 }, async () => {
      for (;;) {
        try {
          const response = await fetch(`${url}/store/v1/purchases`, {
            method: "POST",
            headers: { authorization: `Bearer ${operatorKey}`, "content-type": "application/json" },
            body: JSON.stringify({
              offerId: "seats",
              planId: "team",
              quantity: 2,
              beneficiary: { tenantId: fixture.buyerTenant },
            }),
          });
          if (response.status !== 201) return;
          const { subscriptionId } = (await response.json()) as { subscriptionId: string };
          purchased.push(subscriptionId);
          const activation = await fetch(
            `${url}/api/saas/subscriptions/${subscriptionId}/activate?${apiVersion}`,
            {
              method: "POST",
              headers: { authorization: `Bearer ${bearer}` },
            },
          );
          if (activation.status === 200) activated.push(subscriptionId);
        } catch {
          return; // the server is gone
        }
      }
    });
    await new Promise((wait) => setTimeout(wait, 1500));
    running.child.kill("SIGKILL");
    await Promise.all(workers);
    expect(purchased.length).toBeGreaterThan(10);

    running = await startCli(database);
    const restartedBearer = await token(running.url);
    for (const subscriptionId of purchased) {
      const response = await fetch(`${running.url}/api/saas/subscriptions/${subscriptionId}?${apiVersion}`, {
        headers: { authorization: `Bearer ${restartedBearer}` },
      });
      expect(response.status, `purchase ${subscriptionId} was acknowledged but is gone`).toBe(200);
      const body = (await response.json()) as { saasSubscriptionStatus: string };
      if (activated.includes(subscriptionId)) expect(body.saasSubscriptionStatus).toBe("Subscribed");
    }
  });
});

describe.each(databaseKinds)("kill -9 during webhook deliveries on %s", (kind) => {
  let database: TestDatabase | undefined;
  let running: RunningServer | undefined;
  let receiver: Server | undefined;
  afterEach(async () => {
    running?.child.kill("SIGKILL");
    await new Promise((done) => (receiver ? receiver.close(() => done(undefined)) : done(undefined)));
    await database?.dispose();
  });

  it("delivers every acknowledged event after a restart", { timeout: 120_000 }, async () => {
    // A slow receiver keeps many deliveries in flight when the server is killed.
    const received = new Map<string, number>();
    receiver = createServer((request, response) => {
      const eventId = String(request.headers["x-saasport-event-id"] ?? "");
      request.resume();
      request.on("end", () => {
        setTimeout(() => {
          received.set(eventId, (received.get(eventId) ?? 0) + 1);
          response.writeHead(200).end();
        }, 250);
      });
    });
    await new Promise<void>((done) => receiver?.listen(0, "127.0.0.1", done));
    const receiverPort = (receiver.address() as AddressInfo).port;

    database = await createTestDatabase(kind);
    await prepareDatabase(database, async (db) => {
      await seedFixtureCatalog(db);
      await db
        .updateTable("publishers")
        .set({ webhook_url: `http://127.0.0.1:${receiverPort}/webhook` })
        .where("id", "=", "contoso")
        .execute();
    });

    // A short call timeout keeps the leases of deliveries in flight at the kill short.
    const shortLeases = { SAASPORT_WEBHOOK_TIMEOUT_MS: "1000" };
    running = await startCli(database, shortLeases);
    const url = running.url;
    const bearer = await token(url);
    const operator = { authorization: `Bearer ${operatorKey}`, "content-type": "application/json" };
    const subscriptions: string[] = [];
    for (let index = 0; index < 40; index++) {
      const response = await fetch(`${url}/store/v1/purchases`, {
        method: "POST",
        headers: operator,
        body: JSON.stringify({
          offerId: "analytics",
          planId: "basic",
          beneficiary: { tenantId: fixture.buyerTenant },
        }),
      });
      const { subscriptionId } = (await response.json()) as { subscriptionId: string };
      await fetch(`${url}/api/saas/subscriptions/${subscriptionId}/activate?${apiVersion}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}` },
      });
      subscriptions.push(subscriptionId);
    }

    // The burst: each acknowledged call announced one event to the webhook.
    const acknowledged: string[] = [];
    const burst = subscriptions.map(async (subscriptionId) => {
      for (const action of ["payment-failed", "cancel"] as const) {
        try {
          const response =
            action === "payment-failed"
              ? await fetch(`${url}/operator/v1/subscriptions/${subscriptionId}/payment-failed`, {
                  method: "POST",
                  headers: { authorization: `Bearer ${operatorKey}` },
                })
              : await fetch(`${url}/operator/v1/subscriptions/${subscriptionId}`, {
                  method: "DELETE",
                  headers: { authorization: `Bearer ${operatorKey}` },
                });
          if (response.status !== 200) return;
          const body = (await response.json()) as { event: { id: string } };
          acknowledged.push(body.event.id);
        } catch {
          return; // the server is gone
        }
      }
    });
    await new Promise((wait) => setTimeout(wait, 300));
    running.child.kill("SIGKILL");
    await Promise.all(burst);
    expect(acknowledged.length).toBeGreaterThan(0);
    const beforeRestart = received.size;
    // Each subscription's second event waits for its first (250 ms), so some were still undelivered.
    expect(beforeRestart).toBeLessThan(acknowledged.length);

    running = await startCli(database, shortLeases);
    const deadline = Date.now() + 60_000;
    while (acknowledged.some((eventId) => !received.has(eventId)) && Date.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 100));
    }
    const missing = acknowledged.filter((eventId) => !received.has(eventId));
    expect(missing, `received ${beforeRestart} before the kill, ${received.size} in all`).toEqual([]);
  });
});

describe.each(databaseKinds)("kill -9 during usage reporting on %s", (kind) => {
  let database: TestDatabase | undefined;
  let running: RunningServer | undefined;
  afterEach(async () => {
    running?.child.kill("SIGKILL");
    await database?.dispose();
  });

  it("keeps every usage event that was answered Accepted", { timeout: 90_000 }, async () => {
    database = await createTestDatabase(kind);
    await prepareDatabase(database, seedMeteringCatalog);

    running = await startCli(database);
    const url = running.url;
    const bearer = await token(url);
    const subscriptions: string[] = [];
    for (let index = 0; index < 20; index++) {
      const response = await fetch(`${url}/store/v1/purchases`, {
        method: "POST",
        headers: { authorization: `Bearer ${operatorKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          offerId: "analytics",
          planId: "basic",
          beneficiary: { tenantId: fixture.buyerTenant },
        }),
      });
      const { subscriptionId } = (await response.json()) as { subscriptionId: string };
      await fetch(`${url}/api/saas/subscriptions/${subscriptionId}/activate?${apiVersion}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}` },
      });
      subscriptions.push(subscriptionId);
    }

    // Every (subscription, dimension, hour) key once: 20 × 2 × 23 = 920 events, five to a batch.
    const keys = subscriptions.flatMap((id) =>
      ["api-calls", "storage-gb"].flatMap((dimension) =>
        Array.from({ length: 23 }, (_, hoursAgo) => ({ id, dimension, hoursAgo })),
      ),
    );
    const accepted: string[] = [];
    let next = 0;
    const workers = Array.from({ length: 8 }, async () => {
      while (next < keys.length) {
        const slice = keys.slice(next, next + 5);
        next += 5;
        const now = Date.now();
        const request = slice.map(({ id, dimension, hoursAgo }) => ({
          resourceId: id,
          quantity: 1.5,
          dimension,
          effectiveStartTime: new Date(now - hoursAgo * 3_600_000 - 1000).toISOString(),
          planId: "basic",
        }));
        try {
          const response = await fetch(`${url}/api/batchUsageEvent?${apiVersion}`, {
            method: "POST",
            headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
            body: JSON.stringify({ request }),
          });
          if (response.status !== 200) return;
          const body = (await response.json()) as {
            result: Array<{ status: string; usageEventId?: string }>;
          };
          for (const entry of body.result)
            if (entry.status === "Accepted" && entry.usageEventId) accepted.push(entry.usageEventId);
        } catch {
          return; // the server is gone
        }
      }
    });
    // Killed once a quarter is in, whatever the machine's speed: the rest is still on its way.
    let finished = false;
    void Promise.all(workers).then(() => {
      finished = true;
    });
    while (!finished && accepted.length < keys.length / 4) await new Promise((wait) => setTimeout(wait, 5));
    running.child.kill("SIGKILL");
    await Promise.all(workers);
    expect(accepted.length).toBeGreaterThan(0);

    running = await startCli(database);
    const restartedBearer = await token(running.url);
    const report = await fetch(
      `${running.url}/api/usageEvents?${apiVersion}&usageStartDate=${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)}`,
      {
        headers: { authorization: `Bearer ${restartedBearer}` },
      },
    );
    expect(report.status).toBe(200);
    const days = (await report.json()) as Array<{ submittedCount: number }>;
    const reported = days.reduce((sum, day) => sum + day.submittedCount, 0);
    expect(reported).toBeGreaterThanOrEqual(accepted.length);
    const check = connect({
      databaseUrl: database.databaseUrl,
      sqliteFile: databaseFile({ dataDir: database.dataDir }),
    });
    try {
      const stored = new Set(
        (await check.db.selectFrom("usage_events").select("id").execute()).map((row) => row.id),
      );
      const missing = accepted.filter((id) => !stored.has(id));
      expect(missing, `${accepted.length} accepted, ${stored.size} stored`).toEqual([]);
    } finally {
      await check.close();
    }
  });
});
