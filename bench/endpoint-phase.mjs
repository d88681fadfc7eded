import { fetchAccessToken } from "./access-token.mjs";
import { startBareHttpServer } from "./bare-http.mjs";
import { measureCommitRate } from "./commit-rate.mjs";
import { describeCpuPerRequest, startCpuSample } from "./cpu-usage.mjs";
import { collectListPages, endpoints, getSubscriptionBody } from "./endpoints.mjs";
import { createFreshDatabase } from "./fresh-database.mjs";
import { warmAndMeasure } from "./load.mjs";
import { say } from "./progress.mjs";
import { openDatabase } from "./saasport-dist.mjs";
import { startSaasportProcess } from "./saasport-process.mjs";
import { seedCatalog } from "./seed-catalog.mjs";
import { seedSubscriptions, subscriptionShapes } from "./seed-subscriptions.mjs";
import { startReceiver } from "./webhooks.mjs";

/** Subscriptions that get a landing token, for the resolve run. */
const resolveTokenCount = 2000;
/** The largest pool of subscriptions seeded for one write endpoint. */
const maxPoolSize = 250_000;

function describe(result) {
  const statuses = Object.entries(result.statusCounts)
    .map(([status, count]) => `${status}×${count}`)
    .join(" ");
  const ending = result.exhausted ? ", pool used up" : "";
  return `${Math.round(result.ratePerSecond)}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${statuses}${ending})`;
}

async function seedDataset(saasport, database, count, webhookUrl) {
  const handle = await openDatabase(saasport, database);
  try {
    const { secret } = await seedCatalog(saasport, handle.db);
    // Changes notify the publisher's webhook: a real receiver answers, as a publisher's app would.
    await handle.db.updateTable("publishers").set({ webhook_url: webhookUrl }).execute();
    const seeded = await seedSubscriptions(handle.db, {
      label: "seeding subscriptions",
      count,
      shapes: [subscriptionShapes.flatSubscribed, subscriptionShapes.seatsSubscribed],
      tokenCount: Math.min(count, resolveTokenCount),
    });
    await database.afterSeeding(handle.db);
    return { secret, seeded };
  } finally {
    await handle.close();
  }
}

/**
 * A write endpoint needs one fresh subscription per request. The pool holds as many as the raw commit
 * rate could serve during warm-up and run; were Saasport faster still, the run ends when it is used up.
 */
function poolSeeder(saasport, database, poolSize) {
  return async (name, shape) => {
    const handle = await openDatabase(saasport, database);
    try {
      const { ids } = await seedSubscriptions(handle.db, {
        label: `seeding the ${name} pool`,
        count: poolSize,
        shapes: [shape],
      });
      await database.afterSeeding(handle.db);
      return ids;
    } finally {
      await handle.close();
    }
  };
}

/** Longest wait for the work a run left behind. */
const settleDeadlineMs = 120_000;

/**
 * Waits until `backlog(db)` (the background work left by an endpoint's requests) is zero, polling
 * every 20 ms; returns how much there was and how long it took.
 */
function backlogSettler(saasport, database) {
  return async (backlog) => {
    const handle = await openDatabase(saasport, database);
    try {
      const startedAt = performance.now();
      const initial = await backlog(handle.db);
      let left = initial;
      while (left > 0) {
        if (performance.now() - startedAt > settleDeadlineMs)
          throw new Error(
            `${left} operations and webhooks still pending ${settleDeadlineMs / 1000} s after the run`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
        left = await backlog(handle.db);
      }
      return { backlog: initial, seconds: initial === 0 ? 0 : (performance.now() - startedAt) / 1000 };
    } finally {
      await handle.close();
    }
  };
}

/** A bare node:http reference answering `body`, under exactly the requests of the endpoint it stands for. */
async function measureBareHttp(body, getRequests, load, warmupSeconds) {
  const server = await startBareHttpServer(body);
  try {
    say(
      `bare node:http, ${Buffer.byteLength(body)}-byte JSON answer: ${warmupSeconds} s warm-up + ${load.seconds} s`,
    );
    const result = await warmAndMeasure(
      { ...load, url: server.url, expectedStatus: 200, nextRequest: getRequests },
      warmupSeconds,
    );
    say(`bare node:http: ${describe(result)}`);
    return result;
  } finally {
    await server.stop();
  }
}

/**
 * The endpoint phase: raw commit rate, seeding, one Saasport process, the bare node:http reference,
 * then each selected endpoint under the same load. Everything runs on a fresh database, dropped at the end.
 */
export async function runEndpointPhase(options, saasport) {
  const database = await createFreshDatabase(options.database, options.adminUrl);
  try {
    say(`raw durable commit rate of ${options.database}: ${options.commitSeconds} s`);
    const commitRate = await measureCommitRate(database, options.commitSeconds);
    say(
      `raw durable commit rate: ${Math.round(commitRate.commitsPerSecond)}/s with ${commitRate.clients} client(s)`,
    );
    const receiver = await startReceiver();
    const { secret, seeded } = await seedDataset(saasport, database, options.subscriptions, receiver.url);
    const server = await startSaasportProcess({ database, profileDir: options.profileDir }).catch(
      async (error) => {
        await receiver.stop();
        throw error;
      },
    );
    say(`Saasport answered /healthz ${Math.round(server.startMs)} ms after spawn (${server.url})`);
    try {
      const headers = { authorization: `Bearer ${await fetchAccessToken(server.url, secret)}` };
      const load = { connections: options.connections, seconds: options.durationSeconds };
      const body = await getSubscriptionBody(server.url, headers, seeded.ids[0]);
      const getEndpoint = endpoints.find((endpoint) => endpoint.name === "get");
      const bare = await measureBareHttp(
        body,
        getEndpoint.prepare({ headers, seeded }),
        load,
        options.warmupSeconds,
      );
      const list = options.endpoints.includes("list")
        ? await collectListPages(server.url, headers)
        : undefined;
      if (list)
        say(
          `followed @nextLink over ${list.paths.length} pages holding ${list.subscriptionsSeen} subscriptions`,
        );
      // The list answers a page of 100: its reference answers a body of that size, like the others'.
      const barePage = list
        ? await measureBareHttp(
            list.firstPageBody,
            endpoints
              .find((endpoint) => endpoint.name === "list")
              .prepare({ headers, listPages: list.paths }),
            load,
            options.warmupSeconds,
          )
        : undefined;
      const poolSize = Math.min(
        maxPoolSize,
        Math.ceil(commitRate.commitsPerSecond * (options.durationSeconds + options.warmupSeconds)) +
          options.connections,
      );
      const context = {
        headers,
        seeded,
        listPages: list?.paths,
        seedPool: poolSeeder(saasport, database, poolSize),
        settleBacklog: backlogSettler(saasport, database),
      };
      const postgres = database.kind === "postgres";
      const sampleCpu = () => startCpuSample({ serverPid: server.pid, postgres });
      const results = [];
      for (const endpoint of endpoints.filter((candidate) => options.endpoints.includes(candidate.name))) {
        const nextRequest = await endpoint.prepare(context);
        say(`${endpoint.label}: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s`);
        const result = await warmAndMeasure(
          { ...load, url: server.url, expectedStatus: endpoint.expectedStatus, nextRequest },
          options.warmupSeconds,
          sampleCpu,
          endpoint.settle && (() => endpoint.settle(context)),
        );
        say(`${endpoint.label}: ${describe(result)}`);
        if (result.settled)
          say(
            `  ${result.settled.backlog} operations and webhooks were left when the run ended, done ${result.settled.seconds.toFixed(2)} s later (counted in the rate)`,
          );
        say(`  CPU per answer: ${describeCpuPerRequest(result.cpu, result.answered, postgres)}`);
        results.push({ endpoint, result });
      }
      return {
        commitRate,
        bare,
        bodyBytes: Buffer.byteLength(body),
        barePage,
        pageBytes: list && Buffer.byteLength(list.firstPageBody),
        results,
        poolSize,
        residentBytes: server.residentBytes(),
      };
    } finally {
      await server.stop();
      await receiver.stop();
    }
  } finally {
    await database.dispose();
  }
}
