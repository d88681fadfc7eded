import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";
import { fetchAccessToken } from "./access-token.mjs";
import { createFreshDatabase } from "./fresh-database.mjs";
import { runLoad } from "./load.mjs";
import { say } from "./progress.mjs";
import { loadSaasportModules, openDatabase } from "./saasport-dist.mjs";
import { startSaasportProcess } from "./saasport-process.mjs";
import { benchOffers, seedCatalog } from "./seed-catalog.mjs";
import { seedSubscriptions, subscriptionShapes } from "./seed-subscriptions.mjs";

/** Batch ingestion should reach half the raw rate of 25-row insert transactions on the same database. */
export const meteringTargetRatio = 0.5;

const eventsPerRequest = 25;
const subscriptionCount = 1000;
const dimensions = ["api-calls", "storage-gb", "emails"];
/** Hours back from the start of the run: 23 distinct hours stay inside the 24-hour window throughout. */
const hours = 23;
/** Concurrent writers of the raw insert measurement on PostgreSQL (Saasport's own pool has 10). */
const postgresInsertClients = 10;

const scratchColumns = [
  "id",
  "subscription_id",
  "publisher_id",
  "offer_id",
  "plan_id",
  "dimension",
  "quantity",
  "quantity_micros",
  "effective_start_time",
  "effective_start_sent",
  "hour_bucket",
  "message_time",
  "resource_uri",
  "created_at",
];

/** Time-ordered GUIDs, laid out as Saasport's usage event ids are (48-bit milliseconds, then random). */
function timeOrderedId() {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function scratchRow(index) {
  const now = new Date().toISOString();
  return [
    timeOrderedId(),
    "4aea5574-281c-7b2f-de26-e0f8369bc2d2",
    "bench",
    "bench-flat",
    "standard",
    dimensions[index % 3],
    "1.5",
    1_500_000,
    now,
    now,
    now,
    now,
    "/subscriptions/4aea5574-281c-7b2f-de26-e0f8369bc2d2/resourceGroups/saasport-marketplace/providers/Microsoft.SaaS/resources/Customer",
    now,
  ];
}

const scratchTable = (integerType) =>
  `CREATE TABLE metering_probe (${scratchColumns
    .map(
      (column) =>
        `${column} ${column === "quantity_micros" ? integerType : "text"} NOT NULL${column === "id" ? " PRIMARY KEY" : ""}`,
    )
    .join(", ")})`;

/** 25-row INSERTs, one per durable transaction, into a scratch table of Saasport's SQLite file (WAL, synchronous=FULL). */
function sqliteBatchedInsertRate(file, seconds) {
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.exec(scratchTable("integer"));
    const placeholders = `(${scratchColumns.map(() => "?").join(", ")})`;
    const insert = sqlite.prepare(
      `INSERT INTO metering_probe (${scratchColumns.join(", ")}) VALUES ${Array(eventsPerRequest).fill(placeholders).join(", ")}`,
    );
    let rows = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    while (performance.now() < deadline) {
      const values = [];
      for (let index = 0; index < eventsPerRequest; index++) values.push(...scratchRow(rows + index));
      insert.run(values);
      rows += eventsPerRequest;
    }
    const rowsPerSecond = rows / ((performance.now() - started) / 1000);
    sqlite.exec("DROP TABLE metering_probe");
    return { rowsPerSecond, clients: 1 };
  } finally {
    sqlite.close();
  }
}

/** 25-row INSERTs, each its own transaction, from several clients, in a scratch table of the fresh database. */
async function postgresBatchedInsertRate(databaseUrl, seconds) {
  const clients = Array.from(
    { length: postgresInsertClients },
    () => new pg.Client({ connectionString: databaseUrl }),
  );
  await Promise.all(clients.map((client) => client.connect()));
  try {
    await clients[0].query(scratchTable("bigint"));
    const placeholders = Array.from(
      { length: eventsPerRequest },
      (_, row) =>
        `(${scratchColumns.map((_, column) => `$${row * scratchColumns.length + column + 1}`).join(", ")})`,
    );
    const statement = `INSERT INTO metering_probe (${scratchColumns.join(", ")}) VALUES ${placeholders.join(", ")}`;
    let rows = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      clients.map(async (client, clientIndex) => {
        let local = 0;
        while (performance.now() < deadline) {
          const values = [];
          for (let index = 0; index < eventsPerRequest; index++)
            values.push(...scratchRow(clientIndex * 1e9 + local + index));
          await client.query(statement, values);
          local += eventsPerRequest;
        }
        rows += local;
      }),
    );
    const rowsPerSecond = rows / ((performance.now() - started) / 1000);
    await clients[0].query("DROP TABLE metering_probe");
    return { rowsPerSecond, clients: clients.length };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

function measureBatchedInsertRate(saasport, database, seconds) {
  return database.kind === "sqlite"
    ? sqliteBatchedInsertRate(saasport.databaseFile({ dataDir: database.dataDir }), seconds)
    : postgresBatchedInsertRate(database.databaseUrl, seconds);
}

/** Every (subscription, dimension, hour) key once, 25 to a request body, dated back from `start`. */
function requestBodies(subscriptionIds, start) {
  const events = [];
  for (let hour = 0; hour < hours; hour++) {
    const effectiveStartTime = new Date(start - hour * 3_600_000 - 60_000).toISOString();
    for (const dimension of dimensions) {
      for (const resourceId of subscriptionIds) {
        events.push({
          resourceId,
          quantity: 1.5,
          dimension,
          effectiveStartTime,
          planId: benchOffers.flat.planId,
        });
      }
    }
  }
  const bodies = [];
  for (let index = 0; index < events.length; index += eventsPerRequest) {
    bodies.push(JSON.stringify({ request: events.slice(index, index + eventsPerRequest) }));
  }
  return bodies;
}

async function countEvents(db) {
  const row = await db
    .selectFrom("usage_events")
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirst();
  return Number(row.count);
}

/**
 * The metering phase: POST /api/batchUsageEvent with 25 new events per request over 50 connections
 * (1,000 flat-rate subscriptions, 3 dimensions, 23 hours: every event is Accepted), next to plain
 * 25-row INSERT transactions into a scratch table of the same kind of database.
 */
export async function runMeteringPhase(options, saasport) {
  const database = await createFreshDatabase(options.database, options.adminUrl);
  try {
    const handle = await openDatabase(saasport, database);
    try {
      const { secret } = await seedCatalog(saasport, handle.db);
      await handle.db
        .updateTable("plans")
        .set({
          metering_dimensions: JSON.stringify(
            dimensions.map((id) => ({
              id,
              displayName: id,
              unitOfMeasure: "unit",
              pricePerUnit: "0.01",
              currency: "USD",
              includedQuantity: { P1M: "0" },
            })),
          ),
        })
        .where("plan_id", "=", benchOffers.flat.planId)
        .execute();
      const { ids } = await seedSubscriptions(handle.db, {
        label: "seeding metered subscriptions",
        count: subscriptionCount,
        shapes: [subscriptionShapes.flatSubscribed],
      });
      await database.afterSeeding(handle.db);

      say(`raw 25-row insert transactions for ${options.commitSeconds} s`);
      const raw = await measureBatchedInsertRate(saasport, database, options.commitSeconds);
      say(`raw 25-row insert transactions: ${Math.round(raw.rowsPerSecond)} rows/s`);

      const server = await startSaasportProcess({ database, profileDir: options.profileDir });
      try {
        const token = await fetchAccessToken(server.url, secret);
        const bodies = requestBodies(ids, Date.now());
        let next = 0;
        const load = {
          url: server.url,
          connections: options.connections,
          expectedStatus: "200",
          nextRequest: () => {
            const body = bodies[next++];
            if (body === undefined) return undefined;
            return {
              method: "POST",
              path: "/api/batchUsageEvent?api-version=2018-08-31",
              headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
              body,
            };
          },
        };
        if (options.warmupSeconds > 0) await runLoad({ ...load, seconds: options.warmupSeconds });
        const before = await countEvents(handle.db);
        say(
          `batch usage ingestion: ${options.connections} connections, ${eventsPerRequest} events per request`,
        );
        const run = await runLoad({ ...load, seconds: options.durationSeconds });
        const accepted = (await countEvents(handle.db)) - before;
        const ingestion = { ...run, eventsPerSecond: accepted / run.seconds, accepted };
        say(
          `batch usage ingestion: ${Math.round(ingestion.eventsPerSecond)} events/s (${accepted} accepted in ${run.seconds.toFixed(1)} s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms${run.exhausted ? ", supply used up" : ""})`,
        );
        return { raw, ingestion };
      } finally {
        await server.stop();
      }
    } finally {
      await handle.close();
    }
  } finally {
    await database.dispose();
  }
}

const perSecond = (rate) => `${Math.round(rate).toLocaleString("en-US")}/s`;

/** Rows for the results table. */
export function meteringRows(phase) {
  const ratio = phase.ingestion.eventsPerSecond / phase.raw.rowsPerSecond;
  return [
    {
      measure: `raw INSERT of ${eventsPerRequest} rows per durable transaction, ${phase.raw.clients} client(s) (reference)`,
      result: `${perSecond(phase.raw.rowsPerSecond)} rows`,
    },
    {
      measure: `POST /api/batchUsageEvent, ${eventsPerRequest} events per request, ${subscriptionCount.toLocaleString("en-US")} subscriptions × ${dimensions.length} dimensions`,
      result: `${perSecond(phase.ingestion.eventsPerSecond)} events`,
      p50: `${phase.ingestion.p50Ms} ms`,
      p99: `${phase.ingestion.p99Ms} ms`,
      ratio: `${ratio.toFixed(2)}×`,
      target: `≥ ${meteringTargetRatio}× raw inserts`,
      verdict: ratio >= meteringTargetRatio ? "met" : "**not met**",
    },
  ];
}

/** Notes a reader needs: answers other than 200, or a run that used up its supply of new events. */
export function meteringNotes(phase) {
  const notes = [];
  const { ingestion } = phase;
  const other = Object.entries(ingestion.statusCounts).filter(([status]) => status !== "200");
  if (other.length > 0 || ingestion.errors > 0) {
    notes.push(
      `metering: answers other than 200: ${other.map(([status, count]) => `${status}×${count}`).join(" ") || "none"}, ${ingestion.errors} connection errors.`,
    );
  }
  if (ingestion.exhausted) {
    notes.push(
      `metering: the ${(subscriptionCount * dimensions.length * hours).toLocaleString("en-US")} distinct (subscription, dimension, hour) events ran out after ${ingestion.seconds.toFixed(1)} s; the rate is over that time.`,
    );
  }
  return notes;
}

// `node bench/metering.mjs [--database postgres] [--duration s]` runs this phase alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseOptions } = await import("./options.mjs");
  const { markdownTable } = await import("./report.mjs");
  const options = parseOptions(process.argv.slice(2));
  const phase = await runMeteringPhase(options, await loadSaasportModules());
  const notes = meteringNotes(phase);
  process.stdout.write(
    `\n${markdownTable(meteringRows(phase))}\n${notes.map((note) => `- ${note}\n`).join("")}`,
  );
}
