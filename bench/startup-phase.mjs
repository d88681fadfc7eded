import { fetchAccessToken } from "./access-token.mjs";
import { endpoints } from "./endpoints.mjs";
import { createFreshDatabase } from "./fresh-database.mjs";
import { warmAndMeasure } from "./load.mjs";
import { say } from "./progress.mjs";
import { openDatabase } from "./saasport-dist.mjs";
import { startSaasportProcess } from "./saasport-process.mjs";
import { seedCatalog } from "./seed-catalog.mjs";
import { seedSubscriptions, subscriptionShapes } from "./seed-subscriptions.mjs";

/** Starts measured; the median is reported. */
const startAttempts = 3;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Start time and memory with a large database: seeds `startupSubscriptions`, measures spawn to first
 * /healthz 200 a few times, then reads the resident set size after warming up the get endpoint.
 */
export async function runStartupPhase(options, saasport) {
  const database = await createFreshDatabase(options.database, options.adminUrl);
  try {
    const handle = await openDatabase(saasport, database);
    let secret;
    let seeded;
    try {
      ({ secret } = await seedCatalog(saasport, handle.db));
      seeded = await seedSubscriptions(handle.db, {
        label: "seeding subscriptions for the start-up phase",
        count: options.startupSubscriptions,
        shapes: [subscriptionShapes.flatSubscribed, subscriptionShapes.seatsSubscribed],
      });
      await database.afterSeeding(handle.db);
    } finally {
      await handle.close();
    }
    const startTimes = [];
    for (let attempt = 1; attempt < startAttempts; attempt++) {
      const server = await startSaasportProcess({ database });
      startTimes.push(server.startMs);
      await server.stop();
    }
    const server = await startSaasportProcess({ database });
    startTimes.push(server.startMs);
    say(`first /healthz 200 after ${startTimes.map((ms) => Math.round(ms)).join(", ")} ms`);
    try {
      const idleResidentBytes = server.residentBytes();
      const headers = { authorization: `Bearer ${await fetchAccessToken(server.url, secret)}` };
      const getEndpoint = endpoints.find((endpoint) => endpoint.name === "get");
      say(`warming up GET subscription for ${options.durationSeconds} s before reading RSS`);
      const warmup = await warmAndMeasure(
        {
          url: server.url,
          connections: options.connections,
          seconds: options.durationSeconds,
          expectedStatus: getEndpoint.expectedStatus,
          nextRequest: getEndpoint.prepare({ headers, seeded }),
        },
        0,
      );
      const residentBytes = server.residentBytes();
      say(
        `RSS ${(idleResidentBytes / 1e6).toFixed(1)} MB idle, ${(residentBytes / 1e6).toFixed(1)} MB after warm-up`,
      );
      return {
        subscriptions: options.startupSubscriptions,
        startMs: median(startTimes),
        startTimes,
        idleResidentBytes,
        residentBytes,
        warmupRatePerSecond: warmup.ratePerSecond,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.dispose();
  }
}
