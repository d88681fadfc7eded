import type { Kysely } from "kysely";
import { expect } from "vitest";
import { formatMoney, money } from "../../../src/billing/domain/money.js";
import type { ProrationPolicy } from "../../../src/billing/domain/proration.js";
import { type ComputedLine, computeLedger } from "../../../src/billing/ledger/subscription-ledger.js";
import { createTermPricer, type FrozenPrices } from "../../../src/billing/sync/term-pricer.js";
import { createCatalogReader } from "../../../src/catalog/repository.js";
import type { Database } from "../../../src/db/tables.js";
import { snapshotsOf } from "../../../src/events/repository.js";
import { dailyUsageOf } from "../../../src/metering/repository.js";
import { createPrivateOfferRepository } from "../../../src/private-offers/repository.js";
import { appliesToParties } from "../../../src/private-offers/rules.js";
import type { BillingSnapshot } from "../../../src/subscriptions/lifecycle/snapshot.js";

/**
 * Rebuilds a clock's ledger from nothing but the event log (`events.snapshot`), the accepted usage and the
 * prices frozen in `billing_states.prices`, with the pure `computeLedger` at the clock's time, and checks
 * that it is what the running servers stored: the same lines, and the invoices a month-end run of these
 * lines gives.
 */
export async function rebuildLedger(
  db: Kysely<Database>,
  clockName: string,
  asOf: Date,
  policy: ProrationPolicy = "prorate",
) {
  const subscriptions = await db
    .selectFrom("subscriptions as s")
    .leftJoin("billing_states as b", "b.subscription_id", "s.id")
    .select([
      "s.id",
      "s.publisher_id",
      "s.offer_id",
      "s.beneficiary_tenant_id",
      "s.purchaser_tenant_id",
      "b.prices",
    ])
    .where("s.test_clock", "=", clockName)
    .orderBy("s.id")
    .execute();
  const ids = subscriptions.map((row) => row.id);
  const [events, usage] = await Promise.all([snapshotsOf(db, ids), dailyUsageOf(db, ids)]);
  const offers = await createPrivateOfferRepository(db).listAcceptedByCustomers(
    subscriptions.map((row) => row.purchaser_tenant_id),
  );
  const catalog = createCatalogReader(db);
  const rebuilt: { subscriptionId: string; account: string; lines: ComputedLine[] }[] = [];
  for (const row of subscriptions) {
    const offer = await catalog.getOffer(row.publisher_id, row.offer_id);
    if (!offer) throw new Error(`offer ${row.offer_id} is missing`);
    const plans = new Map(
      (await catalog.listPlans(row.publisher_id, row.offer_id)).map((plan) => [plan.planId, plan]),
    );
    const parties = {
      beneficiaryTenantId: row.beneficiary_tenant_id,
      purchaserTenantId: row.purchaser_tenant_id,
    };
    const frozen = JSON.parse(row.prices ?? "{}") as FrozenPrices;
    const ledger = computeLedger(
      {
        subscriptionId: row.id,
        pricingModel: offer.pricingModel,
        reseller: row.beneficiary_tenant_id.toLowerCase() !== row.purchaser_tenant_id.toLowerCase(),
        policy,
        price: createTermPricer({
          publisherId: row.publisher_id,
          offerId: row.offer_id,
          pricingModel: offer.pricingModel,
          plans,
          payerTenantId: row.purchaser_tenant_id,
          privateOffers: offers.filter((candidate) => appliesToParties(candidate, parties)),
          frozen,
        }),
        plan: (planId) => plans.get(planId),
      },
      (events.get(row.id) ?? []).map((event) => ({
        ...event,
        snapshot: JSON.parse(event.snapshot) as BillingSnapshot,
      })),
      usage.get(row.id) ?? [],
      asOf,
    );
    rebuilt.push({
      subscriptionId: row.id,
      account: row.purchaser_tenant_id.toLowerCase(),
      lines: ledger.lines,
    });
  }
  return rebuilt;
}

const lineText = (line: { key: string; kind: string; on: string; amount: string }) =>
  `${line.key} ${line.kind} ${line.on} ${line.amount}`;

/** Stored lines and invoices of a clock equal the ones rebuilt from its events, usage and frozen prices. */
export async function expectStoredEqualsRebuilt(db: Kysely<Database>, clockName: string, asOf: Date) {
  const rebuilt = await rebuildLedger(db, clockName, asOf);
  const stored = await db.selectFrom("ledger_lines").selectAll().where("clock", "=", clockName).execute();
  for (const { subscriptionId, lines } of rebuilt) {
    const mine = stored
      .filter((line) => line.subscription_id === subscriptionId)
      .map((line) => lineText({ key: line.line_key, kind: line.kind, on: line.on_day, amount: line.amount }))
      .sort();
    const expected = lines
      .map((line) =>
        lineText({ key: line.key, kind: line.kind, on: line.on, amount: formatMoney(line.amount) }),
      )
      .sort();
    expect(mine, `the stored lines of ${subscriptionId}`).toEqual(expected);
  }
  expect(stored.length, "lines of subscriptions not on this clock").toBe(
    rebuilt.reduce((sum, entry) => sum + entry.lines.length, 0),
  );

  // Invoices: one per billing account, currency and month of the lines' days, for every month before the
  // clock's current month; each total is the exact sum of its lines.
  const currentMonth = asOf.toISOString().slice(0, 7);
  const expectedInvoices = new Map<string, { total: bigint; count: number; currency: string }>();
  for (const { account, lines } of rebuilt) {
    for (const line of lines) {
      const month = line.on.slice(0, 7);
      if (month >= currentMonth) continue;
      const key = `${account} ${line.amount.currency} ${month}`;
      const entry = expectedInvoices.get(key) ?? { total: 0n, count: 0, currency: line.amount.currency };
      entry.total += line.amount.minor;
      entry.count += 1;
      expectedInvoices.set(key, entry);
    }
  }
  const invoices = await db.selectFrom("invoices").selectAll().where("clock", "=", clockName).execute();
  const show = (entries: [string, { total: string; count: number }][]) =>
    entries.map(([key, value]) => `${key} ${value.total} ×${value.count}`).sort();
  expect(
    show(
      invoices.map((invoice) => [
        `${invoice.billing_account} ${invoice.currency} ${invoice.month}`,
        { total: invoice.total, count: invoice.line_count },
      ]),
    ),
    "the invoices",
  ).toEqual(
    show(
      [...expectedInvoices].map(([key, value]) => [
        key,
        { total: formatMoney(money(value.currency, value.total)), count: value.count },
      ]),
    ),
  );
  for (const invoice of invoices) {
    const onIt = stored.filter((line) => line.invoice_id === invoice.id);
    const sum = onIt.reduce((total, line) => total + BigInt(String(line.amount_minor)), 0n);
    expect([sum, onIt.length], `invoice ${invoice.month} of ${invoice.billing_account}`).toEqual([
      BigInt(String(invoice.total_minor)),
      invoice.line_count,
    ]);
    expect(
      onIt.every(
        (line) =>
          line.on_day.slice(0, 7) === invoice.month && line.billing_account === invoice.billing_account,
      ),
    ).toBe(true);
  }
  const uninvoiced = stored.filter((line) => line.invoice_id === null && line.on_day < `${currentMonth}-01`);
  expect(
    uninvoiced.map((line) => `${line.kind} ${line.on_day}`),
    "lines of past months left off every invoice",
  ).toEqual([]);
  return { lines: stored.length, invoices: invoices.length };
}
