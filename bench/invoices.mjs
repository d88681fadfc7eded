// The month-end invoice run at scale: 100,000 subscriptions on one test clock, their ledger synced for
// the month, then the month-end run (syncLedger + issueInvoices) when the clock crosses into the next
// month, and the overage run the day after, when the month's usage is final. Each run is one catchUp of
// the compiled billing service (syncLedger, then issueInvoices), in-process, in a fresh child process
// whose memory is sampled; the database is seeded straight with batched inserts first.
//
//   node bench/invoices.mjs [--subscriptions N] [--database sqlite|postgres|both] [--print-only]
//   npm run bench            (runs it as its last phase; --skip-invoices leaves it out)
import { execFileSync, fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { exitOf, trackChild } from "./child-processes.mjs";
import { createFreshDatabase } from "./fresh-database.mjs";
import { machineDetails } from "./machine.mjs";
import { counter, say } from "./progress.mjs";
import { markdownTable } from "./report.mjs";
import { resultsFile } from "./results-doc.mjs";
import { loadSaasportModules, openDatabase, packageDir, repositoryRoot } from "./saasport-dist.mjs";
import { benchOffers, benchPublisher, seedCatalog } from "./seed-catalog.mjs";

/**
 * The issue's targets: the month-end run (syncLedger + issueInvoices) of 100,000 subscriptions within
 * 60 s, memory bounded: the live heap with 100,000 subscriptions at most 1.25× the live heap with a tenth
 * of them (memory held per subscription would grow it towards 10×).
 */
export const invoiceTargets = { subscriptions: 100_000, monthEndSeconds: 60, memoryRatio: 1.25 };

const defaultSubscriptions = 100_000;
/** Subscriptions per billing account (purchaser tenant): 100,000 subscriptions → 20,000 accounts. */
const subscriptionsPerAccount = 5;
/** The memory check repeats the runs with a tenth of the subscriptions in another fresh database. */
const memoryCheckFraction = 10;
const defaultAdminUrl = "postgres://postgres@127.0.0.1:5432/postgres";
const clockName = "month-end";

/** The billed month: every subscription is activated on its first day, so all renew at its end. */
const month = { year: 2027, index: 2 }; // March 2027 (31 days)
const utc = (year, monthIndex, day) => new Date(Date.UTC(year, monthIndex, day));
const stored = (date) => date.toISOString();
const monthStart = utc(month.year, month.index, 1);
const termEnd = utc(month.year, month.index + 1, 0); // 2027-03-31
const nextMonthStart = utc(month.year, month.index + 1, 1); // 2027-04-01: renewal and month end
const nextTermEnd = utc(month.year, month.index + 2, 0); // 2027-04-30
const monthLabel = stored(monthStart).slice(0, 7);
const nextMonthLabel = stored(nextMonthStart).slice(0, 7);
/** When the three measured runs happen on the test clock. */
const runTimes = {
  sync: new Date(Date.UTC(month.year, month.index, 15, 12)),
  monthEnd: nextMonthStart,
  usageFinal: utc(month.year, month.index + 1, 2),
};

/** The flat-rate plan's meter: 100 calls a month included, 5 cents a call above that. */
const meter = {
  id: "api-calls",
  displayName: "API calls",
  unitOfMeasure: "call",
  pricePerUnit: "0.05",
  currency: "USD",
  includedQuantity: { P1M: "100" },
};
const includedCalls = 100;
const usageDays = [5, 12, 20];

const rowsPerInsert = 500;
const subscriptionsPerTransaction = 2000;
/** The raw reference: rows per INSERT statement, and per transaction (syncLedger writes 200 rows a statement, one transaction per 500 subscriptions). */
const probeRowsPerStatement = 200;
const probeRowsPerTransaction = 500;

// ---------------------------------------------------------------------------------------------------
// The seeded book: subscription i's shape, account, seats and usage are functions of i.

const isFlat = (index) => index % 2 === 0;
/** Every tenth subscription is bought by a reseller for a customer of its own (lines carry a margin). */
const isResold = (index) => index % 10 === 3;
const seatsOf = (index) => 1 + (index % 25);
const usageOf = (index) => usageDays.map((_, k) => 10 + ((index * 7 + k * 13) % 50));
const hasOverage = (index) => isFlat(index) && usageOf(index).reduce((a, b) => a + b, 0) > includedCalls;

/** Time-ordered GUIDs, as Saasport's usage event ids are (48-bit milliseconds, then random). */
function timeOrderedId(ms) {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The billing snapshot (src/subscriptions/lifecycle/snapshot.ts BillingSnapshot) after an event. */
function snapshot(shape, status, term, refundWindowEndsAt) {
  return JSON.stringify({
    status,
    planId: shape.offer.planId,
    quantity: shape.quantity,
    termUnit: "P1M",
    paymentOption: "upfront",
    termStart: term ? stored(term.start) : null,
    termEnd: term ? stored(term.end) : null,
    isFreeTrial: false,
    refundWindowEndsAt,
  });
}

function shapeOf(index) {
  return isFlat(index)
    ? { offer: benchOffers.flat, quantity: null }
    : { offer: benchOffers.seats, quantity: seatsOf(index) };
}

/** The rows the purchase and activation of subscription `index` leave behind (as the lifecycle writes them). */
function bookRows(index, id, accounts, recordedAt) {
  const shape = shapeOf(index);
  const account = accounts[Math.floor(index / subscriptionsPerAccount) % accounts.length];
  const beneficiaryTenant = isResold(index) ? randomUUID() : account;
  const purchasedAt = new Date(monthStart.getTime() + ((index * 863) % 86_000_000));
  const activatedAt = new Date(purchasedAt.getTime() + 60_000);
  const refundWindowEndsAt = stored(new Date(purchasedAt.getTime() + 72 * 3_600_000));
  const term = { start: monthStart, end: termEnd };
  const party = (tenantId, who) =>
    JSON.stringify({ emailId: `${who}${index}@customer.example`, objectId: randomUUID(), tenantId });
  const subscription = {
    id,
    publisher_id: benchPublisher.id,
    offer_id: shape.offer.offerId,
    plan_id: shape.offer.planId,
    name: `Customer ${index}`,
    status: "Subscribed",
    quantity: shape.quantity,
    term_unit: "P1M",
    payment_option: "upfront",
    term_start: stored(term.start),
    term_end: stored(term.end),
    auto_renew: 1,
    is_test: 0,
    is_free_trial: 0,
    is_preview: 0,
    allowed_customer_operations: JSON.stringify(isResold(index) ? ["Read"] : ["Delete", "Read", "Update"]),
    sandbox_type: "None",
    session_mode: "None",
    channel: isResold(index) ? "reseller" : "direct",
    market: "US",
    beneficiary: party(beneficiaryTenant, "user"),
    purchaser: party(account, "buyer"),
    beneficiary_tenant_id: beneficiaryTenant,
    purchaser_tenant_id: account,
    created_at: stored(purchasedAt),
    updated_at: stored(activatedAt),
    activated_at: stored(activatedAt),
    unsubscribed_at: null,
    test_clock: clockName,
    next_due_at: stored(nextMonthStart),
    event_seq: 2,
    refund_window_ends_at: refundWindowEndsAt,
  };
  const event = (seq, type, actor, occurredAt, idempotencyKey, data, snap) => ({
    id: randomUUID(),
    subscription_id: id,
    publisher_id: benchPublisher.id,
    seq,
    type,
    actor,
    operation_id: null,
    occurred_at: stored(occurredAt),
    recorded_at: recordedAt,
    idempotency_key: idempotencyKey,
    data: JSON.stringify(data),
    snapshot: snap,
    clock: clockName,
  });
  const events = [
    event(
      1,
      "Purchased",
      "buyer",
      purchasedAt,
      `event:${randomUUID()}`,
      {
        planId: shape.offer.planId,
        quantity: shape.quantity,
        termUnit: "P1M",
        paymentOption: "upfront",
        channel: subscription.channel,
        purchaserTenantId: account,
        beneficiaryTenantId: beneficiaryTenant,
      },
      snapshot(shape, "PendingFulfillmentStart", null, refundWindowEndsAt),
    ),
    event(
      2,
      "Activated",
      "publisher",
      activatedAt,
      `activation:${id}`,
      { planId: shape.offer.planId, quantity: shape.quantity, isFreeTrial: false },
      snapshot(shape, "Subscribed", term, refundWindowEndsAt),
    ),
  ];
  const usage = isFlat(index)
    ? usageOf(index).map((calls, k) => {
        const hour = new Date(Date.UTC(month.year, month.index, usageDays[k], index % 24));
        const at = stored(hour);
        return {
          id: timeOrderedId(hour.getTime()),
          subscription_id: id,
          publisher_id: benchPublisher.id,
          offer_id: shape.offer.offerId,
          plan_id: shape.offer.planId,
          dimension: meter.id,
          quantity: String(calls),
          quantity_micros: calls * 1_000_000,
          effective_start_time: at,
          effective_start_sent: at,
          hour_bucket: at,
          message_time: stored(new Date(hour.getTime() + 600_000)),
          resource_uri: `/subscriptions/${id}/resourceGroups/saasport-marketplace/providers/Microsoft.SaaS/resources/Customer ${index}`,
          created_at: recordedAt,
        };
      })
    : [];
  return { subscription, events, usage };
}

/** A seeded usage event is its day's only one: its usage_daily row holds just it. */
function dailyRowOf(event) {
  return {
    usage_day: event.effective_start_time.slice(0, 10),
    subscription_id: event.subscription_id,
    dimension: event.dimension,
    plan_id: event.plan_id,
    publisher_id: event.publisher_id,
    offer_id: event.offer_id,
    quantity_micros: event.quantity_micros,
    events: 1,
  };
}

async function insertChunked(trx, table, rows, size) {
  for (let start = 0; start < rows.length; start += size) {
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + size))
      .execute();
  }
}

/**
 * `count` Subscribed subscriptions on the bench test clock, activated on the first of the month, with
 * their Purchased and Activated events (billing snapshots included) and, on the flat-rate plan, three
 * days of metered usage (with their daily sums); batched inserts, 500 rows a statement, 2,000 subscriptions a transaction.
 */
async function seedBook(db, count, accountCount) {
  const accounts = Array.from({ length: accountCount }, () => randomUUID());
  const ids = Array.from({ length: count }, () => randomUUID());
  const report = counter("seeding subscriptions, events and usage", count);
  const recordedAt = stored(new Date());
  for (let done = 0; done < count; ) {
    const end = Math.min(count, done + subscriptionsPerTransaction);
    const subscriptions = [];
    const events = [];
    const usage = [];
    for (let index = done; index < end; index++) {
      const rows = bookRows(index, ids[index], accounts, recordedAt);
      subscriptions.push(rows.subscription);
      events.push(...rows.events);
      usage.push(...rows.usage);
    }
    await db.transaction().execute(async (trx) => {
      await insertChunked(trx, "subscriptions", subscriptions, rowsPerInsert);
      await insertChunked(trx, "events", events, rowsPerInsert);
      await insertChunked(trx, "usage_events", usage, rowsPerInsert);
      await insertChunked(trx, "usage_daily", usage.map(dailyRowOf), rowsPerInsert);
    });
    done = end;
    report(done);
  }
  let overage = 0;
  let flat = 0;
  for (let index = 0; index < count; index++) {
    if (isFlat(index)) flat++;
    if (hasOverage(index)) overage++;
  }
  const usedAccounts = Math.min(accountCount, Math.ceil(count / subscriptionsPerAccount));
  return { ids, accounts: usedAccounts, flat, overage, usageRows: flat * usageDays.length };
}

/**
 * What the scheduler records when the clock reaches the term end: a Renewed event per subscription (its
 * snapshot carrying the new term) and the subscription's new term and sequence number. Not measured:
 * renewing is the lifecycle's work; this benchmark times the ledger that follows it.
 */
async function recordRenewals(db, ids) {
  const report = counter("recording the renewals at the month boundary (not measured)", ids.length);
  const at = stored(nextMonthStart);
  const recordedAt = stored(new Date());
  const term = { start: nextMonthStart, end: nextTermEnd };
  for (let done = 0; done < ids.length; ) {
    const end = Math.min(ids.length, done + subscriptionsPerTransaction);
    const events = [];
    for (let index = done; index < end; index++) {
      const id = ids[index];
      const purchasedAt = new Date(monthStart.getTime() + ((index * 863) % 86_000_000));
      const refundWindowEndsAt = stored(new Date(purchasedAt.getTime() + 72 * 3_600_000));
      events.push({
        id: randomUUID(),
        subscription_id: id,
        publisher_id: benchPublisher.id,
        seq: 3,
        type: "Renewed",
        actor: "marketplace",
        operation_id: randomUUID(),
        occurred_at: at,
        recorded_at: recordedAt,
        idempotency_key: `renew:${id}:${at}`,
        data: JSON.stringify({ termStartDate: stored(term.start), termEndDate: stored(term.end) }),
        snapshot: snapshot(shapeOf(index), "Subscribed", term, refundWindowEndsAt),
        clock: clockName,
      });
    }
    await db.transaction().execute((trx) => insertChunked(trx, "events", events, rowsPerInsert));
    done = end;
    report(done);
  }
  await db
    .updateTable("subscriptions")
    .set({
      event_seq: 3,
      term_start: stored(term.start),
      term_end: stored(term.end),
      next_due_at: stored(utc(month.year, month.index + 2, 1)),
      updated_at: at,
    })
    .where("test_clock", "=", clockName)
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// The raw reference: ledger-line-shaped rows inserted into a scratch table of the same database.

const probeColumns = [
  ["id", "text", "PRIMARY KEY"],
  ["line_key", "text", "NOT NULL UNIQUE"],
  ["subscription_id", "text", "NOT NULL"],
  ["publisher_id", "text", "NOT NULL"],
  ["offer_id", "text", "NOT NULL"],
  ["plan_id", "text", "NOT NULL"],
  ["billing_account", "text", "NOT NULL"],
  ["clock", "text", "NOT NULL"],
  ["kind", "text", "NOT NULL"],
  ["description", "text", "NOT NULL"],
  ["on_day", "text", "NOT NULL"],
  ["period_start", "text", "NOT NULL"],
  ["period_end", "text", "NOT NULL"],
  ["quantity", "text", ""],
  ["unit_price", "text", ""],
  ["currency", "text", "NOT NULL"],
  ["amount", "text", "NOT NULL"],
  ["amount_minor", "bigint", "NOT NULL"],
  ["list_amount", "text", ""],
  ["reseller_margin", "text", ""],
  ["private_offer_id", "text", ""],
  ["invoice_id", "text", ""],
  ["created_at", "text", "NOT NULL"],
];

/** The scratch table has ledger_lines' columns and indexes (migration 0012), so a row costs what a line's storage does. */
const probeSchema = [
  `CREATE TABLE ledger_probe (${probeColumns.map(([name, type, rest]) => `${name} ${type} ${rest}`.trim()).join(", ")})`,
  "CREATE INDEX ledger_probe_uninvoiced ON ledger_probe (clock, invoice_id, on_day)",
  "CREATE INDEX ledger_probe_subscription ON ledger_probe (subscription_id, on_day)",
  "CREATE INDEX ledger_probe_invoice ON ledger_probe (invoice_id)",
  "CREATE INDEX ledger_probe_publisher ON ledger_probe (publisher_id, on_day)",
];

function probeRow(index, now) {
  const subscriptionId = randomUUID();
  const day = stored(monthStart).slice(0, 10);
  return [
    randomUUID(),
    `${subscriptionId}|${day}|1|instalment|${day}|0`,
    subscriptionId,
    benchPublisher.id,
    benchOffers.seats.offerId,
    benchOffers.seats.planId,
    `${randomUUID()}`,
    clockName,
    "instalment",
    `team plan: term ${day} to ${stored(termEnd).slice(0, 10)}, ${seatsOf(index)} seats`,
    day,
    day,
    stored(termEnd).slice(0, 10),
    String(seatsOf(index)),
    null,
    "USD",
    "249.95",
    24995,
    null,
    null,
    null,
    null,
    now,
  ];
}

function probeStatement(rows, placeholder) {
  const width = probeColumns.length;
  const values = Array.from(
    { length: rows },
    (_, row) => `(${probeColumns.map((_, column) => placeholder(row * width + column + 1)).join(", ")})`,
  );
  return `INSERT INTO ledger_probe (${probeColumns.map(([name]) => name).join(", ")}) VALUES ${values.join(", ")}`;
}

function sqliteProbe(file, rows) {
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    for (const statement of probeSchema) sqlite.exec(statement);
    const statements = new Map();
    const prepared = (count) => {
      if (!statements.has(count)) statements.set(count, sqlite.prepare(probeStatement(count, () => "?")));
      return statements.get(count);
    };
    const now = stored(new Date());
    const started = performance.now();
    for (let done = 0; done < rows; ) {
      const end = Math.min(rows, done + probeRowsPerTransaction);
      sqlite.exec("BEGIN");
      for (let start = done; start < end; start += probeRowsPerStatement) {
        const count = Math.min(probeRowsPerStatement, end - start);
        const values = [];
        for (let index = start; index < start + count; index++) values.push(...probeRow(index, now));
        prepared(count).run(values);
      }
      sqlite.exec("COMMIT");
      done = end;
    }
    const seconds = (performance.now() - started) / 1000;
    sqlite.exec("DROP TABLE ledger_probe");
    return { rows, seconds, rowsPerSecond: rows / seconds };
  } finally {
    sqlite.close();
  }
}

async function postgresProbe(databaseUrl, rows) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const statement of probeSchema) await client.query(statement);
    const now = stored(new Date());
    const started = performance.now();
    for (let done = 0; done < rows; ) {
      const end = Math.min(rows, done + probeRowsPerTransaction);
      await client.query("BEGIN");
      for (let start = done; start < end; start += probeRowsPerStatement) {
        const count = Math.min(probeRowsPerStatement, end - start);
        const values = [];
        for (let index = start; index < start + count; index++) values.push(...probeRow(index, now));
        await client.query(
          probeStatement(count, (n) => `$${n}`),
          values,
        );
      }
      await client.query("COMMIT");
      done = end;
    }
    const seconds = (performance.now() - started) / 1000;
    await client.query("DROP TABLE ledger_probe");
    return { rows, seconds, rowsPerSecond: rows / seconds };
  } finally {
    await client.end();
  }
}

function measureRawInserts(saasport, database, rows) {
  return database.kind === "sqlite"
    ? sqliteProbe(saasport.databaseFile({ dataDir: database.dataDir }), rows)
    : postgresProbe(database.databaseUrl, rows);
}

// ---------------------------------------------------------------------------------------------------
// The measuring process: Saasport's billing modules, nothing else, sampled every 100 ms.

async function workerMain() {
  const { loadSaasportModules: load } = await import("./saasport-dist.mjs");
  const saasport = await load();
  const distFile = (path) => join(packageDir, "dist", path);
  const [billingService, clockService, catalogRepository, cachedReader, privateOffers, settings] =
    await Promise.all(
      [
        "billing/service.js",
        "clock/clock-service.js",
        "catalog/repository.js",
        "catalog/cached-reader.js",
        "private-offers/repository.js",
        "config/settings.js",
      ].map((path) => import(distFile(path))),
    );
  const init = await new Promise((resolveInit) => process.once("message", resolveInit));
  const handle = saasport.connect({ databaseUrl: init.databaseUrl, sqliteFile: init.sqliteFile });
  const queryTimes = init.queryTimes ? new Map() : undefined;
  const profiler = init.profileDir ? await startProfiler() : undefined;
  const billingDb = queryTimes ? handle.db.withPlugin(queryTimer(queryTimes)) : handle.db;
  // The base clock stands still at the first of the month; the test clock is moved with `set`, as
  // POST /operator/v1/clock/advance moves it.
  const base = { now: () => monthStart };
  const clocks = clockService.createClockService(handle.db, base);
  await clocks.create(clockName);
  let progress = () => {};
  // syncLedger asks for the real time once per batch, after computing the batch's lines and before
  // writing them (the batch's events, usage and lines are all held then); issueInvoices once per batch
  // of accounts. Every few of those calls the probe collects garbage and reads the heap left: the live
  // memory of the run. Its collections are timed and taken out of the run's wall time.
  let liveHeapProbe = () => {};
  const repository = privateOffers.createPrivateOfferRepository(handle.db);
  const errors = [];
  // catchUp reads the collection setting when it hands over from syncLedger to issueInvoices: that
  // moment splits a run's time between the two (undefined if a later Saasport reads it elsewhere).
  let invoicesStarted;
  const billingSettings = {
    ...settings.defaultBilling,
    get invoiceCollection() {
      invoicesStarted = performance.now();
      return settings.defaultBilling.invoiceCollection;
    },
  };
  // The service as the billing module builds it (src/billing/module.ts), on the default policies.
  const service = billingService.createBillingService({
    db: billingDb,
    dialect: handle.dialect,
    clocks,
    now: () => {
      liveHeapProbe();
      return new Date();
    },
    catalog: cachedReader.cachedCatalogReader(catalogRepository.createCatalogReader(handle.db)),
    privateOffers: {
      // syncLedger asks once per batch, with the batch's purchasers: the benchmark's progress hook.
      listAcceptedByCustomers(tenantIds) {
        progress(tenantIds.length);
        return repository.listAcceptedByCustomers(tenantIds);
      },
    },
    settings: billingSettings,
    log: {
      error(details, message) {
        errors.push(`${message}: ${details?.err?.message ?? ""} (${details?.subscriptionId ?? ""})`);
      },
    },
  });
  const db = handle.db;
  const count = async (query) =>
    Number((await query.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst()).n);
  const totals = async () => ({
    lines: await count(db.selectFrom("ledger_lines")),
    invoicedLines: await count(db.selectFrom("ledger_lines").where("invoice_id", "is not", null)),
    invoices: await count(db.selectFrom("invoices")),
    states: await count(db.selectFrom("billing_states")),
    overageLines: await count(db.selectFrom("ledger_lines").where("kind", "=", "overage")),
  });
  const send = (message) => new Promise((done) => process.send(message, done));

  process.on("message", async (message) => {
    if (message.type === "stop") {
      await handle.close();
      process.disconnect();
      return;
    }
    try {
      const at = new Date(message.at);
      await clocks.set(clockName, at);
      await clocks.refresh();
      const before = await totals();
      errors.length = 0;
      queryTimes?.clear();
      let seen = 0;
      let nextReport = message.expected / 10;
      progress = (batch) => {
        seen += batch;
        if (seen >= nextReport) {
          process.send({ type: "progress", done: seen, total: message.expected });
          while (nextReport <= seen) nextReport += message.expected / 10;
        }
      };
      global.gc?.();
      const idleRss = process.memoryUsage.rss();
      let peakRss = idleRss;
      let peakHeap = 0;
      let peakHeapTotal = 0;
      let peakExternal = 0;
      const sample = () => {
        const usage = process.memoryUsage();
        peakRss = Math.max(peakRss, usage.rss);
        peakHeap = Math.max(peakHeap, usage.heapUsed);
        peakHeapTotal = Math.max(peakHeapTotal, usage.heapTotal);
        peakExternal = Math.max(peakExternal, usage.external);
      };
      sample();
      const sampler = setInterval(sample, 100);
      let peakLiveHeap = 0;
      let liveSamples = 0;
      const probeGcMs = { sync: 0, invoices: 0 };
      const probeEvery = Math.max(1, Math.floor(message.expected / 500 / 10));
      let probeCalls = 0;
      liveHeapProbe = () => {
        if (++probeCalls % probeEvery !== 0) return;
        const before = performance.now();
        global.gc();
        peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
        liveSamples++;
        probeGcMs[invoicesStarted === undefined ? "sync" : "invoices"] += performance.now() - before;
      };
      await profiler?.start();
      invoicesStarted = undefined;
      const started = performance.now();
      const { linesComputed, ...run } = await service.catchUp(clockName);
      const finished = performance.now();
      const synced = invoicesStarted ?? finished;
      clearInterval(sampler);
      sample();
      liveHeapProbe = () => {};
      if (profiler) {
        const dir = join(init.profileDir, message.label);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "billing.cpuprofile"), JSON.stringify(await profiler.stop()));
      }
      progress = () => {};
      const after = await totals();
      // The invoices must add up: every invoice's total is the sum of the lines put on it.
      const mismatched = await db
        .selectFrom("invoices as i")
        .select("i.id")
        .where(
          "i.total_minor",
          "!=",
          db
            .selectFrom("ledger_lines as l")
            .select((eb) => eb.fn.sum("l.amount_minor").as("s"))
            .whereRef("l.invoice_id", "=", "i.id"),
        )
        .limit(5)
        .execute();
      await send({
        type: "result",
        syncSeconds: (synced - started - probeGcMs.sync) / 1000,
        invoiceSeconds: (finished - synced - probeGcMs.invoices) / 1000,
        probeSeconds: (probeGcMs.sync + probeGcMs.invoices) / 1000,
        split: invoicesStarted !== undefined,
        linesComputed,
        invoiceRun: run,
        before,
        after,
        idleRss,
        peakRss,
        peakHeap,
        peakHeapTotal,
        peakExternal,
        liveSamples,
        peakLiveHeap,
        candidates: seen,
        errors: errors.slice(0, 5),
        errorCount: errors.length,
        mismatchedInvoices: mismatched.length,
        queryTimes: queryTimes && [...queryTimes.entries()],
      });
    } catch (error) {
      await send({
        type: "error",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  await send({ type: "ready" });
}

/** The table a query node reads or writes (the first TableNode under it), for --query-times. */
function tableOf(node) {
  const queue = [node];
  while (queue.length > 0) {
    const item = queue.shift();
    if (!item || typeof item !== "object") continue;
    if (item.kind === "TableNode") return item.table.identifier.name;
    for (const value of Object.values(item)) if (value && typeof value === "object") queue.push(value);
  }
  return "?";
}

function describeQuery(node) {
  switch (node.kind) {
    case "SelectQueryNode":
      return `select from ${tableOf(node.from?.froms?.[0])}${node.joins?.length ? ` join ${tableOf(node.joins[0].table)}` : ""}`;
    case "InsertQueryNode":
      return `insert into ${tableOf(node.into)}`;
    case "UpdateQueryNode":
      return `update ${tableOf(node.table)}`;
    case "RawNode":
      return node.sqlFragments[0].trim().split(/\s+/).slice(0, 3).join(" ");
    default:
      return node.kind;
  }
}

/**
 * A Kysely plugin that adds up the time from each statement's compilation to its result, by kind of
 * statement (--query-times). Statements that run at once (syncLedger's three reads) overlap.
 */
function queryTimer(times) {
  const started = new Map();
  return {
    transformQuery({ node, queryId }) {
      started.set(queryId, { at: performance.now(), key: describeQuery(node) });
      return node;
    },
    async transformResult({ result, queryId }) {
      const start = started.get(queryId);
      if (start) {
        started.delete(queryId);
        const entry = times.get(start.key) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - start.at;
        times.set(start.key, entry);
      }
      return result;
    },
  };
}

/** Where a run's statements spent their time (--query-times). */
function queryTimeLines(label, run) {
  if (!run.queryTimes) return [];
  const total = (run.syncSeconds + run.invoiceSeconds) * 1000;
  return [
    `${label}: ${(total / 1000).toFixed(1)} s in all; time per kind of statement:`,
    ...run.queryTimes
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(
        ([key, { count: statements, ms }]) =>
          `  ${(ms / 1000).toFixed(2).padStart(7)} s  ${String(statements).padStart(6)}×  ${key}`,
      ),
  ];
}

/** A CPU profiler of this process, on for the measured part of each run only (--profile). */
async function startProfiler() {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const post = (method, params) =>
    new Promise((done, fail) =>
      session.post(method, params, (error, result) => (error ? fail(error) : done(result))),
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 1000 });
  return {
    start: () => post("Profiler.start"),
    stop: async () => (await post("Profiler.stop")).profile,
  };
}

const profileLabel = (label) => label.split(" ")[0].replace(/[^a-z-]/gi, "");

/** The measuring process, and a way to ask it for one run at a clock time. */
async function startWorker(saasport, database, profileDir, queryTimes, heapLimit) {
  const execArgv = ["--expose-gc", ...(heapLimit ? [`--max-old-space-size=${heapLimit}`] : [])];
  const child = fork(fileURLToPath(import.meta.url), ["--worker"], {
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  trackChild(child);
  let report = () => {};
  let pending;
  child.on("message", (message) => {
    if (message.type === "progress") report(message.done);
    else pending?.(message);
  });
  child.once("exit", (code) =>
    pending?.({ type: "error", message: `the measuring process exited (${code})` }),
  );
  const next = () => new Promise((resolveNext) => (pending = resolveNext));
  const ready = next();
  child.send({
    databaseUrl: database.databaseUrl,
    sqliteFile: saasport.databaseFile({ dataDir: database.dataDir }),
    queryTimes,
    profileDir,
  });
  const first = await ready;
  if (first.type !== "ready") throw new Error(first.message);
  return {
    async run(label, at, expected) {
      report = counter(label, expected);
      const answer = next();
      child.send({ type: "run", at: at.toISOString(), expected, label: profileLabel(label) });
      const result = await answer;
      if (result.type !== "result") throw new Error(`${label}: ${result.message}`);
      return result;
    },
    async stop() {
      pending = undefined;
      child.send({ type: "stop" });
      await exitOf(child);
    },
  };
}

// ---------------------------------------------------------------------------------------------------

const megabytes = (bytes) => bytes / 1e6;
const count = (value) => Math.round(value).toLocaleString("en-US");

/** One book of `subscriptions` in a fresh database: seed, raw reference, then the three runs. */
async function measureBook(
  saasport,
  {
    kind,
    adminUrl,
    subscriptions,
    profileDir,
    queryTimes,
    keepDatabase,
    skipAnalyze,
    heapLimit,
    withReference,
  },
) {
  const accountCount = Math.max(1, Math.round(subscriptions / subscriptionsPerAccount));
  const database = await createFreshDatabase(kind, adminUrl);
  try {
    const handle = await openDatabase(saasport, database);
    try {
      await seedCatalog(saasport, handle.db);
      await handle.db
        .updateTable("plans")
        .set({ metering_dimensions: JSON.stringify([meter]) })
        .where("publisher_id", "=", benchPublisher.id)
        .where("plan_id", "=", benchOffers.flat.planId)
        .execute();
      const seedStarted = performance.now();
      const book = await seedBook(handle.db, subscriptions, accountCount);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      // PostgreSQL plans from statistics that autovacuum keeps (it is off on some test servers, and
      // never gets to a table loaded seconds ago): ANALYZE stands in for it wherever, in use, days
      // would pass between runs. SQLite has no statistics unless ANALYZE is run, and Saasport never runs it.
      const analyze = async () => {
        if (kind === "postgres" && !skipAnalyze) await sql`analyze`.execute(handle.db);
      };
      await analyze();
      const autovacuum =
        kind === "postgres" ? (await sql`show autovacuum`.execute(handle.db)).rows[0].autovacuum : undefined;
      let raw;
      if (withReference) {
        say(
          `raw reference: ${count(subscriptions)} ledger-line rows, ${probeRowsPerStatement} per INSERT, ${probeRowsPerTransaction} per transaction`,
        );
        raw = await measureRawInserts(saasport, database, subscriptions);
        say(`raw reference: ${count(raw.rowsPerSecond)} rows/s (${raw.seconds.toFixed(1)} s)`);
      }
      const worker = await startWorker(saasport, database, profileDir, queryTimes, heapLimit);
      try {
        const sync = await worker.run(
          `ledger sync of ${monthLabel} (first sync)`,
          runTimes.sync,
          subscriptions,
        );
        say(
          `ledger sync of ${monthLabel}: ${count(sync.after.lines - sync.before.lines)} lines in ${sync.syncSeconds.toFixed(1)} s, ${memoryOf(sync)}`,
        );
        for (const line of queryTimeLines("ledger sync", sync)) say(line);
        await analyze();
        await recordRenewals(handle.db, book.ids);
        const monthEnd = await worker.run(
          `month-end run at ${stored(runTimes.monthEnd)}`,
          runTimes.monthEnd,
          subscriptions,
        );
        say(
          `month-end run: syncLedger ${monthEnd.syncSeconds.toFixed(1)} s (${count(monthEnd.after.lines - monthEnd.before.lines)} lines), issueInvoices ${monthEnd.invoiceSeconds.toFixed(1)} s (${count(monthEnd.invoiceRun.invoices)} invoices, ${count(monthEnd.invoiceRun.lines)} lines), ${memoryOf(monthEnd)}`,
        );
        for (const line of queryTimeLines("month-end run", monthEnd)) say(line);
        await analyze();
        const usageFinal = await worker.run(
          `overage run at ${stored(runTimes.usageFinal)}`,
          runTimes.usageFinal,
          book.flat,
        );
        say(
          `overage run: ${count(usageFinal.after.overageLines - usageFinal.before.overageLines)} overage lines in ${(usageFinal.syncSeconds + usageFinal.invoiceSeconds).toFixed(1)} s, ${memoryOf(usageFinal)}`,
        );
        for (const line of queryTimeLines("overage run", usageFinal)) say(line);
        return {
          kind,
          subscriptions,
          analyzed: kind === "postgres" && !skipAnalyze,
          autovacuum,
          accounts: book.accounts,
          book,
          seedSeconds,
          raw,
          sync,
          monthEnd,
          usageFinal,
        };
      } finally {
        await worker.stop();
      }
    } finally {
      await handle.close();
    }
  } finally {
    if (keepDatabase) say(`kept the database: ${database.databaseUrl ?? saasport.databaseFile(database)}`);
    else await database.dispose();
  }
}

/** A run's memory in one phrase, for the progress output. */
const memoryOf = (run) =>
  `peak RSS ${megabytes(run.peakRss).toFixed(1)} MB (V8 heap used ${megabytes(run.peakHeap).toFixed(1)} MB of ${megabytes(run.peakHeapTotal).toFixed(1)} MB, external ${megabytes(run.peakExternal).toFixed(1)} MB; live heap at most ${megabytes(run.peakLiveHeap).toFixed(1)} MB in ${run.liveSamples} samples)`;

const peakOf = (book) => Math.max(book.sync.peakRss, book.monthEnd.peakRss, book.usageFinal.peakRss);
const liveOf = (book) =>
  Math.max(book.sync.peakLiveHeap, book.monthEnd.peakLiveHeap, book.usageFinal.peakLiveHeap);

/**
 * The invoice phase on one database: the full book (with the raw reference), then, unless disabled, a
 * tenth of it in another fresh database, whose peak RSS the full book's is compared with.
 */
export async function runInvoicePhase(options, saasport) {
  const kind = options.database;
  say(`invoice run on ${kind}: ${count(options.invoiceSubscriptions)} subscriptions`);
  const full = await measureBook(saasport, {
    kind,
    adminUrl: options.adminUrl,
    subscriptions: options.invoiceSubscriptions,
    profileDir: options.invoiceProfileDir,
    queryTimes: options.invoiceQueryTimes,
    keepDatabase: options.invoiceKeepDatabase,
    skipAnalyze: options.invoiceSkipAnalyze,
    heapLimit: options.invoiceHeapLimit,
    withReference: true,
  });
  let small;
  const smallCount = Math.floor(options.invoiceSubscriptions / memoryCheckFraction);
  if (options.invoiceMemoryCheck && smallCount >= 100) {
    say(`memory check: the same runs with ${count(smallCount)} subscriptions`);
    small = await measureBook(saasport, {
      kind,
      adminUrl: options.adminUrl,
      subscriptions: smallCount,
      skipAnalyze: options.invoiceSkipAnalyze,
      withReference: false,
    });
  }
  return { full, small };
}

/** Rows for the results table (report.mjs columns). */
export function invoiceRows(phase) {
  const { full, small } = phase;
  const raw = full.raw.rowsPerSecond;
  const rate = (rows, seconds) => rows / seconds;
  const ratio = (value) => `${(value / raw).toFixed(2)}×`;
  const syncLines = full.sync.after.lines - full.sync.before.lines;
  const monthEndLines = full.monthEnd.after.lines - full.monthEnd.before.lines;
  const invoiced = full.monthEnd.invoiceRun.lines;
  const monthEndSeconds = full.monthEnd.syncSeconds + full.monthEnd.invoiceSeconds;
  const overageLines = full.usageFinal.after.overageLines - full.usageFinal.before.overageLines;
  const usageFinalSeconds = full.usageFinal.syncSeconds + full.usageFinal.invoiceSeconds;
  const n = count(full.subscriptions);
  const rows = [
    {
      measure: `raw INSERT of ledger-line rows (same columns and indexes), ${probeRowsPerStatement} per statement, ${probeRowsPerTransaction} per transaction, 1 client (reference)`,
      result: `${count(raw)}/s rows`,
    },
    {
      measure: `ledger sync of ${monthLabel} (first catch-up: syncLedger), ${n} subscriptions → ${count(syncLines)} lines`,
      result: `${full.sync.syncSeconds.toFixed(1)} s, ${count(rate(syncLines, full.sync.syncSeconds))}/s lines`,
      ratio: ratio(rate(syncLines, full.sync.syncSeconds)),
    },
    {
      measure: `month-end run: syncLedger, ${count(full.monthEnd.candidates)} renewed → ${count(monthEndLines)} ${nextMonthLabel} lines`,
      result: `${full.monthEnd.syncSeconds.toFixed(1)} s, ${count(rate(monthEndLines, full.monthEnd.syncSeconds))}/s lines`,
      ratio: ratio(rate(monthEndLines, full.monthEnd.syncSeconds)),
    },
    {
      measure: `month-end run: issueInvoices, ${count(full.monthEnd.invoiceRun.invoices)} invoices for ${count(invoiced)} ${monthLabel} lines`,
      result: `${full.monthEnd.invoiceSeconds.toFixed(1)} s, ${count(rate(invoiced, full.monthEnd.invoiceSeconds))}/s lines`,
      ratio: ratio(rate(invoiced, full.monthEnd.invoiceSeconds)),
    },
    {
      measure: `month-end run (syncLedger + issueInvoices), ${n} subscriptions`,
      result: `${monthEndSeconds.toFixed(1)} s`,
      target: `≤ ${invoiceTargets.monthEndSeconds} s at ${count(invoiceTargets.subscriptions)}`,
      verdict:
        full.subscriptions < invoiceTargets.subscriptions
          ? "n/a (fewer subscriptions)"
          : monthEndSeconds <= invoiceTargets.monthEndSeconds
            ? "met"
            : "**not met**",
    },
    {
      measure: `overage run the day after (usage final), ${count(full.book.flat)} flat-rate subscriptions → ${count(overageLines)} overage lines`,
      result: `${usageFinalSeconds.toFixed(1)} s, ${count(rate(overageLines, full.usageFinal.syncSeconds))}/s lines`,
      ratio: ratio(rate(overageLines, full.usageFinal.syncSeconds)),
    },
  ];
  const live = liveOf(full);
  const peak = peakOf(full);
  const sizes = small ? `${n} vs ${count(small.subscriptions)}` : n;
  const ratioToSmall = small && live / liveOf(small);
  rows.push({
    measure: `live heap of the billing process (left after a full collection, ~10 samples a run), ${sizes} subscriptions`,
    result: small
      ? `${megabytes(live).toFixed(1)} MB vs ${megabytes(liveOf(small)).toFixed(1)} MB`
      : `${megabytes(live).toFixed(1)} MB`,
    ratio: small ? `${ratioToSmall.toFixed(2)}×` : "",
    target: `≤ ${invoiceTargets.memoryRatio}× for 10× the subscriptions`,
    // Below 20 batches of 500 a run has too few samples to compare.
    verdict:
      !small || small.subscriptions < 10_000
        ? "not checked"
        : ratioToSmall <= invoiceTargets.memoryRatio
          ? "met"
          : "**not met**",
  });
  rows.push({
    measure: `peak RSS of the billing process (sampled every 100 ms), ${sizes} subscriptions`,
    result: small
      ? `${megabytes(peak).toFixed(1)} MB vs ${megabytes(peakOf(small)).toFixed(1)} MB`
      : `${megabytes(peak).toFixed(1)} MB`,
  });
  return rows;
}

/** What else a reader needs: per-run memory, rows written, seeding, checks that failed. */
export function invoiceNotes(phase) {
  const { full, small } = phase;
  const notes = [];
  const mb = (bytes) => `${megabytes(bytes).toFixed(1)} MB`;
  const written = (run) => {
    const lines = run.after.lines - run.before.lines;
    const invoices = run.after.invoices - run.before.invoices;
    const assigned = run.after.invoicedLines - run.before.invoicedLines;
    return `${count(lines)} lines and ${count(invoices)} invoices inserted, ${count(run.candidates)} billing states written, ${count(assigned)} lines assigned to invoices`;
  };
  notes.push(
    `invoices: the book is ${count(full.subscriptions)} Subscribed P1M subscriptions on test clock "${clockName}" (half per-user at 1-25 seats, half flat-rate with a metered dimension and 3 days of usage each; every tenth bought through a reseller), ${count(full.accounts)} billing accounts, all activated on ${stored(monthStart).slice(0, 10)}; seeded in ${full.seedSeconds.toFixed(1)} s with batched inserts.`,
  );
  if (full.kind === "postgres") {
    notes.push(
      full.analyzed
        ? `invoices: ANALYZE after seeding, after the sync and after the month-end run, standing in for autovacuum (autovacuum=${full.autovacuum} on this server); renewals are recorded after it, so the month-end run plans with the statistics of two weeks earlier.`
        : `invoices: no ANALYZE (--no-analyze; autovacuum=${full.autovacuum} on this server): the tables have no statistics.`,
    );
  }
  notes.push(
    `invoices: rows written: sync ${written(full.sync)}; month-end ${written(full.monthEnd)}; overage run ${written(full.usageFinal)}.`,
  );
  notes.push(
    `invoices: memory of the billing process per run (sync, month-end, overage): RSS before ${[full.sync, full.monthEnd, full.usageFinal].map((run) => mb(run.idleRss)).join(", ")}, peak ${[full.sync, full.monthEnd, full.usageFinal].map((run) => mb(run.peakRss)).join(", ")}; V8 heap in use at most ${mb(Math.max(full.sync.peakHeap, full.monthEnd.peakHeap, full.usageFinal.peakHeap))} (garbage included), live ${[full.sync, full.monthEnd, full.usageFinal].map((run) => mb(run.peakLiveHeap)).join(", ")}${small ? `; with ${count(small.subscriptions)} subscriptions peak RSS ${[small.sync, small.monthEnd, small.usageFinal].map((run) => mb(run.peakRss)).join(", ")}, live ${[small.sync, small.monthEnd, small.usageFinal].map((run) => mb(run.peakLiveHeap)).join(", ")}, and a month-end run of ${(small.monthEnd.syncSeconds + small.monthEnd.invoiceSeconds).toFixed(1)} s` : ""}. The live-heap samples' collections (${[full.sync, full.monthEnd, full.usageFinal].map((run) => `${(run.probeSeconds * 1000).toFixed(0)} ms`).join(", ")}) are left out of the times.`,
  );
  if (![full.sync, full.monthEnd, full.usageFinal].every((run) => run.split)) {
    notes.push(
      "invoices: catchUp did not read the invoice collection setting between syncLedger and issueInvoices, so the runs could not be split: the syncLedger rows show whole catch-ups.",
    );
  }
  const problems = [];
  for (const book of [full, small].filter(Boolean)) {
    const runs = { sync: book.sync, monthEnd: book.monthEnd, usageFinal: book.usageFinal };
    const expect = (label, actual, wanted) => {
      if (actual !== wanted)
        problems.push(`${count(book.subscriptions)}: ${label} ${actual}, expected ${wanted}`);
    };
    expect("sync lines", book.sync.after.lines - book.sync.before.lines, book.subscriptions);
    expect("month-end lines", book.monthEnd.after.lines - book.monthEnd.before.lines, book.subscriptions);
    expect("invoices", book.monthEnd.invoiceRun.invoices, book.accounts);
    expect("invoiced lines", book.monthEnd.invoiceRun.lines, book.subscriptions);
    expect(
      "overage lines",
      book.usageFinal.after.overageLines - book.usageFinal.before.overageLines,
      book.book.overage,
    );
    for (const [name, run] of Object.entries(runs)) {
      if (run.errorCount > 0)
        problems.push(`${name}: ${run.errorCount} ledger errors, e.g. ${run.errors[0]}`);
      if (run.mismatchedInvoices > 0) problems.push(`${name}: invoice totals differ from their lines`);
    }
  }
  notes.push(
    problems.length === 0
      ? `invoices: checked after each run: one line per subscription and month, one invoice per account, ${count(full.book.overage)} overage lines (the flat-rate subscriptions over the 100 included calls), every invoice total equal to the sum of its lines, no ledger errors.`
      : `invoices: **checks failed**: ${problems.join("; ")}.`,
  );
  return notes;
}

// ---------------------------------------------------------------------------------------------------
// docs/benchmarks.md: this phase's section, one sub-section per database.

const sectionHeading = "## Month-end invoice run";
const databaseNames = { sqlite: "SQLite", postgres: "PostgreSQL" };

/** Which Saasport was measured: the commit, whether src had changes, when dist was built. */
function saasportVersion() {
  const git = (...args) =>
    execFileSync("git", ["--no-optional-locks", ...args], { cwd: repositoryRoot, encoding: "utf8" }).trim();
  try {
    const commit = git("rev-parse", "--short", "HEAD");
    const changed =
      git("diff", "--name-only", "HEAD", "--", "packages/saasport/src") !== "" ||
      git("ls-files", "--others", "--exclude-standard", "--", "packages/saasport/src") !== "";
    // tsc leaves unchanged outputs alone; the bundle is written by every `npm run build`.
    const built = statSync(join(packageDir, "dist/bundle/saasport.cjs")).mtime.toISOString();
    return `commit ${commit}${changed ? " with uncommitted changes in packages/saasport/src" : ""}; dist built ${built}`;
  } catch {
    return "version unknown (no git)";
  }
}

function machineLines(machine) {
  return [
    `- Saasport ${saasportVersion()}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGiB.toFixed(1)} GiB; ${machine.os}`,
    `- Node.js ${machine.node}; ${machine.database}`,
    `- Load average when the run started: ${machine.loadAverage.toFixed(2)}`,
    `- Date: ${machine.date}`,
  ];
}

/** The results sub-section of one database. */
export function invoiceResultsSection({ database, command, machine, table, notes }) {
  return [
    `### Invoice run on ${databaseNames[database]}`,
    "",
    `\`${command}\``,
    "",
    ...machineLines(machine),
    "",
    table,
    "",
    ...notes.map((note) => `- ${note}`),
  ].join("\n");
}

/**
 * Replaces the database's sub-section inside the invoice section (up to the next `### ` or `## `
 * heading); adds it at the end of the section, or the section at the end of the file, when missing.
 */
export function writeInvoiceResults(database, subsection) {
  let text = existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "# Benchmarks\n";
  if (!text.includes(`\n${sectionHeading}\n`)) text = `${text.trimEnd()}\n\n${sectionHeading}\n`;
  const sectionStart = text.indexOf(`\n${sectionHeading}\n`) + 1;
  const afterSection = text.indexOf("\n## ", sectionStart + sectionHeading.length);
  const sectionEnd = afterSection === -1 ? text.length : afterSection + 1;
  const section = text.slice(sectionStart, sectionEnd);
  const heading = `\n### Invoice run on ${databaseNames[database]}\n`;
  const start = section.indexOf(heading);
  let updated;
  if (start === -1) {
    updated = `${section.trimEnd()}\n\n${subsection}\n`;
  } else {
    const nextHeading = section.indexOf("\n### ", start + heading.length);
    const rest = nextHeading === -1 ? "" : `\n${section.slice(nextHeading).trimStart()}`;
    updated = `${section.slice(0, start).trimEnd()}\n\n${subsection}\n${rest}`;
  }
  const tail = text.slice(sectionEnd);
  writeFileSync(
    resultsFile,
    `${text.slice(0, sectionStart)}${updated.trimEnd()}\n${tail ? `\n${tail}` : ""}`,
  );
}

/** Prints the phase's table and notes, and writes them to docs/benchmarks.md unless told not to. */
export async function reportInvoicePhase(options, phase, command) {
  const table = markdownTable(invoiceRows(phase));
  const notes = invoiceNotes(phase);
  process.stdout.write(`\n${table}\n\n${notes.map((note) => `- ${note}`).join("\n")}\n`);
  if (options.printOnly) return;
  const machine = await machineDetails(options);
  machine.loadAverage = options.loadAverageAtStart ?? machine.loadAverage;
  machine.date = options.startedAt ?? machine.date;
  writeInvoiceResults(
    options.database,
    invoiceResultsSection({ database: options.database, command, machine, table, notes }),
  );
  say(`invoice results written to ${resultsFile}`);
}

// ---------------------------------------------------------------------------------------------------
// Command line.

export const invoiceUsage = `
Month-end invoice run (bench/invoices.mjs; also the last phase of npm run bench):
  --skip-invoices              skip it
  --invoice-subscriptions <n>  subscriptions in the invoice run (default ${defaultSubscriptions})
`;

const standaloneUsage = `Usage: node bench/invoices.mjs [options]

The month-end invoice run of Saasport's billing ledger (the compiled packages/saasport/dist; run
\`npm run build\` first), in-process, against the raw batched insert rate of the same database; writes
its results to the invoice section of docs/benchmarks.md.

Options:
  --subscriptions <n>                      subscriptions (default ${defaultSubscriptions}; 5 per billing account)
  --database <sqlite|postgres|both>        database(s) under test (default sqlite)
  --database-url <url>                     PostgreSQL server on this machine on which fresh databases
                                           are created and dropped (default ${defaultAdminUrl})
  --no-memory-check                        skip the second run with a tenth of the subscriptions
  --query-times                            print where each run's statements spent their time (adds a
                                           little overhead)
  --no-analyze                             on PostgreSQL, do not ANALYZE after seeding and between the
                                           runs (as when autovacuum has not got to the tables yet)
  --heap-limit <MB>                        run the measuring process with --max-old-space-size=<MB>:
                                           completing shows the live memory stays below it
  --keep-database                          keep the full-size database afterwards, to look into it
  --profile <dir>                          profile the measured part of each run (<dir>/ledger,
                                           <dir>/month-end, <dir>/overage) and print the functions
                                           with the most self time
  --print-only                             print the results without writing docs/benchmarks.md
  -h, --help                               show this help
`;

function heapLimit(raw) {
  if (!/^\d+$/.test(raw) || Number(raw) < 16)
    throw new Error(`--heap-limit takes megabytes (16 or more), got "${raw}"`);
  return Number(raw);
}

function parseStandalone(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      subscriptions: { type: "string", default: String(defaultSubscriptions) },
      database: { type: "string", default: "sqlite" },
      "database-url": { type: "string" },
      "no-memory-check": { type: "boolean", default: false },
      "query-times": { type: "boolean", default: false },
      "keep-database": { type: "boolean", default: false },
      "no-analyze": { type: "boolean", default: false },
      "heap-limit": { type: "string" },
      profile: { type: "string" },
      "print-only": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const subscriptions = Number(values.subscriptions);
  if (!/^\d+$/.test(values.subscriptions) || subscriptions < 100 || subscriptions > 10_000_000) {
    throw new Error(
      `--subscriptions must be a whole number from 100 to 10000000, got "${values.subscriptions}"`,
    );
  }
  const kinds = { sqlite: ["sqlite"], postgres: ["postgres"], both: ["sqlite", "postgres"] }[values.database];
  if (!kinds) throw new Error(`--database must be sqlite, postgres or both, got "${values.database}"`);
  const adminUrl = values["database-url"] ?? defaultAdminUrl;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(adminUrl).hostname)) {
    throw new Error("--database-url must point at this machine");
  }
  return {
    help: values.help,
    kinds,
    adminUrl,
    invoiceSubscriptions: subscriptions,
    invoiceMemoryCheck: !values["no-memory-check"],
    invoiceProfileDir: values.profile && resolve(values.profile),
    invoiceQueryTimes: values["query-times"],
    invoiceKeepDatabase: values["keep-database"],
    invoiceSkipAnalyze: values["no-analyze"],
    invoiceHeapLimit: values["heap-limit"] && heapLimit(values["heap-limit"]),
    printOnly: values["print-only"],
  };
}

async function standaloneMain(argv) {
  let parsed;
  try {
    parsed = parseStandalone(argv);
  } catch (error) {
    process.stderr.write(`bench/invoices: ${error.message}\n(--help lists the options)\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(standaloneUsage);
    return 0;
  }
  if (parsed.invoiceProfileDir) mkdirSync(parsed.invoiceProfileDir, { recursive: true });
  const saasport = await loadSaasportModules();
  const command = ["node bench/invoices.mjs", ...argv].join(" ");
  for (const kind of parsed.kinds) {
    const options = {
      ...parsed,
      database: kind,
      adminUrl: kind === "postgres" ? parsed.adminUrl : undefined,
    };
    const machine = await machineDetails(options);
    say(`${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, ${machine.database}`);
    if (machine.loadAverage > machine.cores / 2) {
      say(
        `warning: the load average is ${machine.loadAverage.toFixed(2)}; other work on this machine will lower the results`,
      );
    }
    const phase = await runInvoicePhase(options, saasport);
    await reportInvoicePhase(
      { ...options, loadAverageAtStart: machine.loadAverage, startedAt: machine.date },
      phase,
      command,
    );
    if (parsed.invoiceProfileDir) {
      const { summarizeProfile } = await import("./profile-summary.mjs");
      for (const run of ["ledger", "month-end", "overage"]) {
        process.stdout.write(`\n${summarizeProfile(join(parsed.invoiceProfileDir, run))}\n`);
      }
    }
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--worker") {
    await workerMain();
  } else {
    standaloneMain(process.argv.slice(2)).then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        process.stderr.write(
          `bench/invoices: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exitCode = 1;
      },
    );
  }
}
