import type { FastifyBaseLogger } from "fastify";
import { type Kysely, sql } from "kysely";
import type { Plan } from "../../catalog/model.js";
import type { CatalogReader } from "../../catalog/repository.js";
import type { ClockService } from "../../clock/clock-service.js";
import { fixedChunks, paddedIds } from "../../db/chunks.js";
import type { Dialect } from "../../db/connection.js";
import type { Database } from "../../db/tables.js";
import { toStored } from "../../db/time.js";
import { timeOrderedId } from "../../db/time-ordered-id.js";
import { snapshotsOf } from "../../events/repository.js";
import { dailyUsageOf } from "../../metering/repository.js";
import type { PrivateOfferRepository } from "../../private-offers/repository.js";
import { appliesToParties } from "../../private-offers/rules.js";
import type { BillingSnapshot } from "../../subscriptions/lifecycle/snapshot.js";
import { addDays } from "../../subscriptions/term-dates.js";
import { isoDate } from "../domain/dates.js";
import { formatMoney } from "../domain/money.js";
import type { ProrationPolicy } from "../domain/proration.js";
import { type ComputedLine, computeLedger } from "../ledger/subscription-ledger.js";
import { type Candidate, candidatesByIds, dueSubscriptions, followEventLog } from "./candidates.js";
import { createTermPricer, type FrozenPrices } from "./term-pricer.js";

export interface LedgerSyncDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clocks: ClockService;
  /** Real time, for `created_at`. */
  now(): Date;
  catalog: CatalogReader;
  privateOffers: Pick<PrivateOfferRepository, "listAcceptedByCustomers">;
  policy: ProrationPolicy;
  log: Pick<FastifyBaseLogger, "error">;
}

const batchSize = 500;
/** When a subscription the ledger could not bill is tried again, on its clock. */
const retryAfterMs = 3_600_000;

/**
 * Brings the ledger of one clock's subscriptions up to the clock's current time: every subscription
 * with events the ledger has not followed yet (it follows the event log by position), or whose next
 * line is due, is computed again from its
 * events and usage, and the lines not stored yet are inserted under their deterministic keys. Several
 * processes may do this at once: a line is stored once whoever computes it. Returns how many lines were
 * offered for storage.
 */
export async function syncLedger(
  deps: LedgerSyncDeps,
  clockName: string,
  asOf: Date = deps.clocks.now(clockName),
): Promise<number> {
  const dueBy = toStored(asOf);
  let offered = 0;
  const syncIds = async (ids: readonly string[]) => {
    for (let start = 0; start < ids.length; start += batchSize) {
      const candidates = await candidatesByIds(deps.db, paddedIds(ids.slice(start, start + batchSize)));
      offered += await syncBatch(deps, clockName, candidates, asOf);
    }
  };
  await followEventLog(deps, clockName, syncIds);
  // A subscription whose due line could not be computed is due again only later, so this loop always ends.
  for (;;) {
    const due = await dueSubscriptions(deps.db, clockName, dueBy, batchSize);
    if (due.length === 0) return offered;
    await syncIds(due);
    if (due.length < batchSize) return offered;
  }
}

async function syncBatch(
  deps: LedgerSyncDeps,
  clockName: string,
  candidates: readonly Candidate[],
  asOf: Date,
): Promise<number> {
  const ids = candidates.map((candidate) => candidate.id);
  // Reads first: on SQLite a read on the root connection would wait for an open transaction.
  const [events, usage, offers] = await Promise.all([
    snapshotsOf(deps.db, paddedIds(ids)),
    dailyUsageOf(deps.db, paddedIds(ids)),
    deps.privateOffers.listAcceptedByCustomers(candidates.map((candidate) => candidate.purchaser_tenant_id)),
  ]);
  const catalog = await catalogOf(deps.catalog, candidates);
  const lines: { candidate: Candidate; line: ComputedLine }[] = [];
  const states: {
    id: string;
    syncedAsOf: string | null;
    billedSeq: number;
    dueAt: string | null;
    prices: string;
  }[] = [];
  for (const candidate of candidates) {
    const history = events.get(candidate.id) ?? [];
    const billedSeq = history.at(-1)?.seq ?? 0;
    const frozen = JSON.parse(candidate.prices ?? "{}") as FrozenPrices;
    const offering = catalog.get(`${candidate.publisher_id}/${candidate.offer_id}`);
    try {
      if (!offering)
        throw new Error(`offer ${candidate.publisher_id}/${candidate.offer_id} is not in the catalog`);
      const parties = {
        beneficiaryTenantId: candidate.beneficiary_tenant_id,
        purchaserTenantId: candidate.purchaser_tenant_id,
      };
      const ledger = computeLedger(
        {
          subscriptionId: candidate.id,
          pricingModel: offering.pricingModel,
          reseller: parties.beneficiaryTenantId.toLowerCase() !== parties.purchaserTenantId.toLowerCase(),
          policy: deps.policy,
          price: createTermPricer({
            publisherId: candidate.publisher_id,
            offerId: candidate.offer_id,
            pricingModel: offering.pricingModel,
            plans: offering.plans,
            payerTenantId: candidate.purchaser_tenant_id,
            privateOffers: offers.filter((offer) => appliesToParties(offer, parties)),
            frozen,
          }),
          plan: (planId) => offering.plans.get(planId),
        },
        history.map((event) => ({ ...event, snapshot: JSON.parse(event.snapshot) as BillingSnapshot })),
        usage.get(candidate.id) ?? [],
        asOf,
        { from: unstoredFrom(candidate, history) },
      );
      for (const line of ledger.lines) lines.push({ candidate, line });
      states.push({
        id: candidate.id,
        syncedAsOf: toStored(asOf),
        billedSeq,
        dueAt: ledger.nextDueAt && toStored(ledger.nextDueAt),
        prices: JSON.stringify(frozen),
      });
    } catch (error) {
      // One subscription the ledger cannot price (its plan left the catalog) must not stop the others.
      deps.log.error(
        { err: error, subscriptionId: candidate.id },
        "the ledger could not bill this subscription",
      );
      states.push({
        id: candidate.id,
        syncedAsOf: candidate.synced_as_of,
        // Tried again at its next event, or an hour later on its clock (after a catalog fix, say).
        billedSeq,
        dueAt: toStored(new Date(asOf.getTime() + retryAfterMs)),
        prices: JSON.stringify(frozen),
      });
    }
  }
  const now = toStored(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    for (const chunk of fixedChunks(lines)) {
      await trx
        .insertInto("ledger_lines")
        .values(
          chunk.map(({ candidate, line }) => ({
            id: timeOrderedId(),
            line_key: line.key,
            subscription_id: candidate.id,
            publisher_id: candidate.publisher_id,
            offer_id: candidate.offer_id,
            plan_id: line.planId,
            billing_account: candidate.purchaser_tenant_id.toLowerCase(),
            clock: clockName,
            kind: line.kind,
            description: line.description,
            on_day: line.on,
            period_start: line.periodStart,
            period_end: line.periodEnd,
            quantity: line.quantity,
            unit_price: line.unitPrice,
            currency: line.amount.currency,
            amount: formatMoney(line.amount),
            amount_minor: line.amount.minor.toString(),
            list_amount: line.listAmount && formatMoney(line.listAmount),
            reseller_margin: line.resellerMargin && formatMoney(line.resellerMargin),
            private_offer_id: line.privateOfferId,
            invoice_id: null,
            created_at: now,
          })),
        )
        .onConflict((conflict) => conflict.column("line_key").doNothing())
        .execute();
    }
    for (const chunk of fixedChunks(states)) {
      await trx
        .insertInto("billing_states")
        .values(
          chunk.map((state) => ({
            subscription_id: state.id,
            clock: clockName,
            billed_seq: state.billedSeq,
            due_at: state.dueAt,
            synced_as_of: state.syncedAsOf,
            prices: state.prices,
            updated_at: now,
          })),
        )
        .onConflict((conflict) =>
          conflict.column("subscription_id").doUpdateSet({
            billed_seq: sql`excluded.billed_seq`,
            due_at: sql`excluded.due_at`,
            synced_as_of: sql`excluded.synced_as_of`,
            prices: sql`excluded.prices`,
            updated_at: sql`excluded.updated_at`,
          }),
        )
        .execute();
    }
  });
  return lines.length;
}

/**
 * The first day whose lines may not be stored yet. Lines dated well before the last run were stored
 * then, unless new events date from before it: a timed transition is dated when it was due (a clock move
 * applying a batch, a renewal right after a reinstatement, a restart), and its lines are dated from that
 * day on. Undefined for a subscription never synced.
 */
function unstoredFrom(
  candidate: Candidate,
  history: readonly { seq: number; occurredAt: string }[],
): string | undefined {
  if (!candidate.synced_as_of) return undefined;
  let since = candidate.synced_as_of;
  for (const event of history) {
    if (event.seq > Number(candidate.billed_seq ?? 0) && event.occurredAt < since) since = event.occurredAt;
  }
  return isoDate(addDays(new Date(since), -2));
}

interface Offering {
  pricingModel: "flatRate" | "perUser";
  plans: Map<string, Plan>;
}

async function catalogOf(
  catalog: CatalogReader,
  candidates: readonly Candidate[],
): Promise<Map<string, Offering>> {
  const offerings = new Map<string, Offering>();
  for (const candidate of candidates) {
    const key = `${candidate.publisher_id}/${candidate.offer_id}`;
    if (offerings.has(key)) continue;
    const offer = await catalog.getOffer(candidate.publisher_id, candidate.offer_id);
    if (!offer) continue;
    const plans = await catalog.listPlans(candidate.publisher_id, candidate.offer_id);
    offerings.set(key, {
      pricingModel: offer.pricingModel,
      plans: new Map(plans.map((plan) => [plan.planId, plan])),
    });
  }
  return offerings;
}
