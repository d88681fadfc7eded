import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { fetchAccessToken } from "./access-token.mjs";
import { exitOf, trackChild } from "./child-processes.mjs";
import { createFreshDatabase } from "./fresh-database.mjs";
import { say } from "./progress.mjs";
import { loadSaasportModules, openDatabase, repositoryRoot } from "./saasport-dist.mjs";
import { startSaasportProcess } from "./saasport-process.mjs";
import { benchPublisher, seedCatalog } from "./seed-catalog.mjs";
import { seedSubscriptions, subscriptionShapes } from "./seed-subscriptions.mjs";

/** Targets of the webhook phase: sustained deliveries per second, and p99 from event to arrival when idle. */
export const webhookTargets = { deliveriesPerSecond: 3000, idleP99Ms: 20 };

/** Calls in flight in the node:http client loop, matching the dispatcher's concurrency. */
const ceilingConcurrency = 128;
const latencySamples = 200;
const rowsPerInsert = 500;

/** The webhook receiver in its own process, so that neither sender shares its event loop. */
export async function startReceiver() {
  const child = fork(join(repositoryRoot, "bench/webhook-receiver.mjs"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  trackChild(child);
  const port = await new Promise((resolve, reject) => {
    child.once("message", (message) => resolve(message.port));
    child.once("exit", (code) =>
      reject(new Error(`the webhook receiver exited (code ${code}) before listening`)),
    );
  });
  const ask = (message, type) =>
    new Promise((resolve) => {
      const listener = (answer) => {
        if (answer.type !== type) return;
        child.off("message", listener);
        resolve(answer);
      };
      child.on("message", listener);
      child.send(message);
    });
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    reset: (reportArrivals = false) => ask({ type: "reset", reportArrivals }, "reset"),
    stats: () => ask({ type: "stats" }, "stats"),
    onArrival(listener) {
      const wrapped = (message) => message.type === "arrival" && listener(message);
      child.on("message", wrapped);
      return () => child.off("message", wrapped);
    },
    async stop() {
      child.disconnect();
      await exitOf(child);
    },
  };
}

/** A Renew payload as the lifecycle queues it (about 1 kB). */
function renewPayload(subscriptionId) {
  const operationId = randomUUID();
  const now = new Date().toISOString();
  return {
    id: operationId,
    activityId: operationId,
    publisherId: benchPublisher.id,
    offerId: "bench-flat",
    planId: "standard",
    quantity: 1,
    subscriptionId,
    timeStamp: now,
    action: "Renew",
    status: "Succeeded",
    operationRequestSource: "Azure",
    subscription: {
      id: subscriptionId,
      name: "Customer",
      publisherId: benchPublisher.id,
      offerId: "bench-flat",
      planId: "standard",
      quantity: null,
      beneficiary: { emailId: "buyer@customer.example", objectId: randomUUID(), tenantId: randomUUID() },
      purchaser: { emailId: "buyer@customer.example", objectId: randomUUID(), tenantId: randomUUID() },
      allowedCustomerOperations: ["Delete", "Read", "Update"],
      sessionMode: "None",
      isFreeTrial: false,
      isTest: false,
      sandboxType: "None",
      saasSubscriptionStatus: "Subscribed",
      term: { startDate: now, endDate: now, termUnit: "P1M", chargeDuration: null },
      autoRenew: true,
      created: now,
      lastModified: now,
    },
    purchaseToken: null,
  };
}

/** Queues `count` deliveries (one per subscription, so order never holds one back) straight into the outbox. */
async function queueDeliveries(db, count) {
  const now = new Date().toISOString();
  for (let done = 0; done < count; ) {
    const end = Math.min(count, done + rowsPerInsert * 10);
    await db.transaction().execute(async (trx) => {
      while (done < end) {
        const batchEnd = Math.min(end, done + rowsPerInsert);
        const rows = [];
        for (let index = done; index < batchEnd; index++) {
          const subscriptionId = randomUUID();
          const payload = renewPayload(subscriptionId);
          rows.push({
            id: randomUUID(),
            event_id: randomUUID(),
            subscription_id: subscriptionId,
            publisher_id: benchPublisher.id,
            seq: 1,
            action: "Renew",
            operation_id: payload.id,
            payload: JSON.stringify(payload),
            status: "pending",
            next_attempt_at: now,
            created_at: now,
          });
        }
        await trx.insertInto("webhook_deliveries").values(rows).execute();
        done = batchEnd;
      }
    });
  }
}

async function waitForCount(receiver, count, deadlineMs) {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    const stats = await receiver.stats();
    if (stats.count >= count) return stats;
    if (performance.now() > deadline) {
      throw new Error(`only ${stats.count} of ${count} webhook calls arrived within ${deadlineMs / 1000} s`);
    }
    await sleep(50);
  }
}

/** The ceiling: a plain node:http keep-alive client loop posting the same bodies to the same receiver. */
async function measureCeiling(receiver, count) {
  await receiver.reset();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify(renewPayload(randomUUID()));
  const url = new URL(receiver.url);
  const post = () =>
    new Promise((resolve, reject) => {
      const call = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on("end", resolve);
        },
      );
      call.on("error", reject);
      call.end(body);
    });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await post();
    }
  };
  await Promise.all(Array.from({ length: ceilingConcurrency }, worker));
  agent.destroy();
  const stats = await waitForCount(receiver, count, 60_000);
  return { count, ratePerSecond: (count / stats.spanMs) * 1000 };
}

async function measureThroughput(receiver, db, count) {
  await receiver.reset();
  await queueDeliveries(db, count);
  const stats = await waitForCount(receiver, count, 120_000);
  await sleep(300);
  const settled = await receiver.stats();
  return {
    count,
    ratePerSecond: (count / stats.spanMs) * 1000,
    calls: settled.count,
    distinct: settled.distinct,
  };
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * fraction) - 1)];
}

/**
 * Event to arrival while idle: the operator renews a subscription now (the lifecycle commits the
 * Renew event and queues its webhook in one transaction), timed until the receiver has the call.
 */
async function measureIdleLatency(server, receiver, subscriptionIds) {
  await receiver.reset(true);
  const waiting = new Map();
  const stop = receiver.onArrival(({ subscriptionId }) => waiting.get(subscriptionId)?.());
  const samples = [];
  try {
    for (const subscriptionId of subscriptionIds) {
      const arrived = new Promise((resolve) => waiting.set(subscriptionId, resolve));
      const started = performance.now();
      const response = await fetch(`${server.url}/operator/v1/subscriptions/${subscriptionId}/renew`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.operatorKey}` },
      });
      const text = await response.text();
      if (response.status >= 300) {
        throw new Error(`renew answered ${response.status}: ${text.slice(0, 300)}`);
      }
      await Promise.race([
        arrived,
        sleep(10_000).then(() => {
          throw new Error(`the Renew webhook of ${subscriptionId} did not arrive within 10 s`);
        }),
      ]);
      samples.push(performance.now() - started);
      waiting.delete(subscriptionId);
      await sleep(20);
    }
  } finally {
    stop();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/**
 * The webhook phase: Saasport delivering queued webhooks (signed: JWT and HMAC) to a loopback receiver,
 * next to a bare node:http client loop posting to the same receiver; then event-to-arrival latency.
 */
export async function runWebhookPhase(options, saasport) {
  const count = options.webhookDeliveries;
  const database = await createFreshDatabase(options.database, options.adminUrl);
  const receiver = await startReceiver();
  try {
    const handle = await openDatabase(saasport, database);
    try {
      const { secret } = await seedCatalog(saasport, handle.db);
      await handle.db
        .updateTable("publishers")
        .set({ webhook_url: receiver.url })
        .where("id", "=", benchPublisher.id)
        .execute();
      const { ids } = await seedSubscriptions(handle.db, {
        label: "seeding subscriptions for the webhook latency run",
        count: latencySamples,
        shapes: [subscriptionShapes.flatSubscribed],
      });
      await database.afterSeeding(handle.db);
      say(`node:http client loop: ${count.toLocaleString("en-US")} POSTs to the receiver`);
      const ceiling = await measureCeiling(receiver, count);
      say(`node:http client loop: ${Math.round(ceiling.ratePerSecond)}/s`);

      const server = await startSaasportProcess({ database, profileDir: options.profileDir });
      try {
        const token = await fetchAccessToken(server.url, secret);
        const created = await fetch(`${server.url}/partner/v1/webhook-secrets`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
        });
        if (created.status !== 201) throw new Error(`creating a webhook secret answered ${created.status}`);
        say(`Saasport: ${count.toLocaleString("en-US")} queued deliveries, signed (JWT + HMAC)`);
        const throughput = await measureThroughput(receiver, handle.db, count);
        say(
          `Saasport: ${Math.round(throughput.ratePerSecond)}/s (${throughput.calls} calls, ${throughput.distinct} distinct delivery ids)`,
        );
        await sleep(1000);
        say(`idle event-to-delivery latency: ${latencySamples} renewals, one at a time`);
        const latency = await measureIdleLatency(
          { url: server.url, operatorKey: await operatorKeyOf(database) },
          receiver,
          ids,
        );
        say(`idle event-to-delivery: p50 ${latency.p50Ms.toFixed(1)} ms, p99 ${latency.p99Ms.toFixed(1)} ms`);
        return { count, ceiling, throughput, latency };
      } finally {
        await server.stop();
      }
    } finally {
      await handle.close();
    }
  } finally {
    await receiver.stop();
    await database.dispose();
  }
}

async function operatorKeyOf(database) {
  const { readFileSync } = await import("node:fs");
  return readFileSync(join(database.dataDir, "operator-key"), "utf8").trim();
}

const perSecond = (rate) => `${Math.round(rate).toLocaleString("en-US")}/s`;
const verdict = (met) => (met ? "met" : "**not met**");

/** Rows for the results table. */
export function webhookRows(phase) {
  const ratio = phase.throughput.ratePerSecond / phase.ceiling.ratePerSecond;
  return [
    {
      measure: `node:http client loop POSTing ${phase.count.toLocaleString("en-US")} webhooks to a loopback receiver (reference)`,
      result: perSecond(phase.ceiling.ratePerSecond),
    },
    {
      measure: `webhook deliveries, signed (JWT + HMAC), ${phase.count.toLocaleString("en-US")} queued`,
      result: perSecond(phase.throughput.ratePerSecond),
      ratio: `${ratio.toFixed(2)}×`,
      target: `≥ ${webhookTargets.deliveriesPerSecond.toLocaleString("en-US")}/s`,
      verdict: verdict(phase.throughput.ratePerSecond >= webhookTargets.deliveriesPerSecond),
    },
    {
      measure: `renewal to webhook arrival when idle (${phase.latency.samples} events)`,
      result: `${phase.latency.p99Ms.toFixed(1)} ms`,
      p50: `${phase.latency.p50Ms.toFixed(1)} ms`,
      p99: `${phase.latency.p99Ms.toFixed(1)} ms`,
      target: `p99 ≤ ${webhookTargets.idleP99Ms} ms`,
      verdict: verdict(phase.latency.p99Ms <= webhookTargets.idleP99Ms),
    },
  ];
}

/** Notes a reader needs to trust the rows: calls that were not exactly one per delivery. */
export function webhookNotes(phase) {
  const { throughput } = phase;
  if (throughput.calls === throughput.count && throughput.distinct === throughput.count) return [];
  return [
    `webhooks: ${throughput.calls} calls carrying ${throughput.distinct} distinct delivery ids for ${throughput.count} deliveries.`,
  ];
}

// `node bench/webhooks.mjs [--database postgres] [--webhook-deliveries n]` runs this phase alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseOptions } = await import("./options.mjs");
  const { markdownTable } = await import("./report.mjs");
  const options = parseOptions(process.argv.slice(2));
  const phase = await runWebhookPhase(options, await loadSaasportModules());
  const notes = webhookNotes(phase);
  process.stdout.write(
    `\n${markdownTable(webhookRows(phase))}\n${notes.map((note) => `- ${note}\n`).join("")}`,
  );
}
