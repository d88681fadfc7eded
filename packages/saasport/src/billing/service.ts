import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { CatalogReader } from "../catalog/repository.js";
import type { ClockService } from "../clock/clock-service.js";
import type { BillingSettings } from "../config/settings.js";
import type { Dialect } from "../db/connection.js";
import type { Database } from "../db/tables.js";
import type { PrivateOfferRepository } from "../private-offers/repository.js";
import { type InvoiceRun, issueInvoices, pendingTransitionMonths } from "./sync/issue-invoices.js";
import { syncLedger } from "./sync/sync-ledger.js";

export interface BillingServiceDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clocks: ClockService;
  /** Real time. */
  now(): Date;
  catalog: CatalogReader;
  privateOffers: Pick<PrivateOfferRepository, "listAcceptedByCustomers">;
  settings: BillingSettings;
  log: Pick<FastifyBaseLogger, "error">;
}

export interface CatchUp extends InvoiceRun {
  clock: string;
  /** Lines offered to the ledger (already stored ones are not stored again). */
  linesComputed: number;
}

export interface BillingService {
  /** Brings one clock's ledger up to its current time, then issues the invoices of every month that ended. */
  catchUp(clockName: string): Promise<CatchUp>;
  /** The same for every clock. */
  catchUpAll(): Promise<CatchUp[]>;
}

/**
 * The ledger's driver. Runs are serialised within a process (the worker, clock moves and operator calls
 * share one queue); across processes the deterministic line keys and the one-invoice-per-month constraint
 * keep concurrent runs from writing anything twice.
 */
export function createBillingService(deps: BillingServiceDeps): BillingService {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const catchUpNow = async (clockName: string): Promise<CatchUp> => {
    await deps.clocks.refresh();
    // One reading of the clock for the ledger and the invoices: with a later reading the invoice run
    // could close a month whose lines the ledger had not computed yet (a clock move may run meanwhile).
    const asOf = deps.clocks.now(clockName);
    const held = await pendingTransitionMonths(deps.db, clockName, asOf);
    const linesComputed = await syncLedger(
      {
        db: deps.db,
        dialect: deps.dialect,
        clocks: deps.clocks,
        now: deps.now,
        catalog: deps.catalog,
        privateOffers: deps.privateOffers,
        policy: deps.settings.prorationPolicy,
        log: deps.log,
      },
      clockName,
      asOf,
    );
    const run = await issueInvoices(
      { db: deps.db, dialect: deps.dialect, now: deps.now, collection: deps.settings.invoiceCollection },
      clockName,
      asOf,
      held,
    );
    return { clock: clockName, linesComputed, ...run };
  };
  return {
    catchUp: (clockName) => serial(() => catchUpNow(clockName)),
    catchUpAll: () =>
      serial(async () => {
        await deps.clocks.refresh();
        const results: CatchUp[] = [];
        for (const reading of deps.clocks.list()) results.push(await catchUpNow(reading.name));
        return results;
      }),
  };
}
