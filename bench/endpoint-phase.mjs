import { fetchAccessToken } from "./access-token.mjs";
import { startBareHttpServer } from "./bare-http.mjs";
import { measureCommitRate } from "./commit-rate.mjs";
import { describeCpuPerRequest, startCpuSample } from "./cpu-usage.mjs";
import { collectListPages, endpoints, getSubscriptionBody } from "./endpoints.mjs";
import { createFreshDatabase } from "./fresh-database.mjs";
import { warmAndMeasure } from "./load.mjs";
import { say } from "./progress.mjs";
import { createReferenceMeter } from "./references.mjs";
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

/**
 * A bare node:http reference answering `body`, under exactly the requests of the endpoint it stands for;
 * with the CPU its process and the load generator used per answer.
 */
async function measureBareHttp(body, getRequests, load, warmupSeconds) {
  const server = await startBareHttpServer(body);
  try {
    say(
      `bare node:http, ${Buffer.byteLength(body)}-byte JSON answer: ${warmupSeconds} s warm-up + ${load.seconds} s`,
    );
    const result = await warmAndMeasure(
      { ...load, url: server.url, expectedStatus: 200, nextRequest: getRequests },
      warmupSeconds,
      () => startCpuSample({ serverPid: server.pid, postgres: false }),
    );
    say(`bare node:http: ${describe(result)}`);
    say(`  CPU per answer: ${describeCpuPerRequest(result.cpu, result.answered, false, "node:http")}`);
    return { ...result, rate: result.ratePerSecond };
  } finally {
    await server.stop();
  }
}

async function measureCommitReference(database, seconds) {
  const commitRate = await measureCommitRate(database, seconds);
  say(
    `raw durable commit rate: ${Math.round(commitRate.commitsPerSecond)}/s with ${commitRate.clients} client(s)`,
  );
  return { ...commitRate, rate: commitRate.commitsPerSecond };
}

/** Measures each selected endpoint of a running Saasport, between runs of its reference. */
async function measureEndpoints({ options, saasport, database, server, secret, seeded, sizingRate }) {
  const headers = { authorization: `Bearer ${await fetchAccessToken(server.url, secret)}` };
  const load = { connections: options.connections, seconds: options.durationSeconds };
  const body = await getSubscriptionBody(server.url, headers, seeded.ids[0]);
  const list = options.endpoints.includes("list") ? await collectListPages(server.url, headers) : undefined;
  if (list)
    say(`followed @nextLink over ${list.paths.length} pages holding ${list.subscriptionsSeen} subscriptions`);
  const byName = (name) => endpoints.find((endpoint) => endpoint.name === name);
  const references = createReferenceMeter({
    // The reads' reference answers the bytes of one subscription to the get endpoint's requests;
    // the list's answers a page of 100 (a hundred times those bytes) to the list's requests.
    http: () =>
      measureBareHttp(body, byName("get").prepare({ headers, seeded }), load, options.warmupSeconds),
    httpPage: () =>
      measureBareHttp(
        list.firstPageBody,
        byName("list").prepare({ headers, listPages: list.paths }),
        load,
        options.warmupSeconds,
      ),
    commit: () => measureCommitReference(database, options.commitSeconds),
  });
  const poolSize = Math.min(
    maxPoolSize,
    Math.ceil(sizingRate.rate * (options.durationSeconds + options.warmupSeconds)) + options.connections,
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
    const { result, reference } = await references.around(endpoint.reference, async () => {
      say(`${endpoint.label}: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s`);
      return warmAndMeasure(
        { ...load, url: server.url, expectedStatus: endpoint.expectedStatus, nextRequest },
        options.warmupSeconds,
        sampleCpu,
        endpoint.settle && (() => endpoint.settle(context)),
      );
    });
    say(`${endpoint.label}: ${describe(result)}`);
    if (result.settled)
      say(
        `  ${result.settled.backlog} operations and webhooks were left when the run ended, done ${result.settled.seconds.toFixed(2)} s later (counted in the rate)`,
      );
    say(`  CPU per answer: ${describeCpuPerRequest(result.cpu, result.answered, postgres)}`);
    say(
      `  ${(result.ratePerSecond / reference.rate).toFixed(2)}× the mean of its reference before (${Math.round(reference.before.rate)}/s) and after (${Math.round(reference.after.rate)}/s)`,
    );
    results.push({ endpoint, result, reference });
  }
  return {
    references: references.runs,
    bodyBytes: Buffer.byteLength(body),
    pageBytes: list && Buffer.byteLength(list.firstPageBody),
    results,
    poolSize,
    residentBytes: server.residentBytes(),
  };
}

/**
 * The endpoint phase: seeding, one Saasport process, then each selected endpoint under the same load,
 * with its reference (the bare node:http server or the raw commit rate) measured right before and right
 * after it (see bench/references.mjs). Everything runs on a fresh database, dropped at the end.
 */
export async function runEndpointPhase(options, saasport) {
  const database = await createFreshDatabase(options.database, options.adminUrl);
  try {
    // Only sizes the write endpoints' pools; their references are measured next to them.
    say(
      `raw durable commit rate of ${options.database} (to size the write pools): ${options.commitSeconds} s`,
    );
    const sizingRate = await measureCommitReference(database, options.commitSeconds);
    const receiver = await startReceiver();
    try {
      const { secret, seeded } = await seedDataset(saasport, database, options.subscriptions, receiver.url);
      const server = await startSaasportProcess({ database, profileDir: options.profileDir });
      say(`Saasport answered /healthz ${Math.round(server.startMs)} ms after spawn (${server.url})`);
      try {
        return await measureEndpoints({ options, saasport, database, server, secret, seeded, sizingRate });
      } finally {
        await server.stop();
      }
    } finally {
      await receiver.stop();
    }
  } finally {
    await database.dispose();
  }
}
