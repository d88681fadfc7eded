import { type Kysely, sql } from "kysely";
import { fixedChunks } from "../../db/chunks.js";
import type { Dialect } from "../../db/connection.js";
import type { Database, InvoiceStatus } from "../../db/tables.js";
import { isTrue, toStored } from "../../db/time.js";
import { timeOrderedId } from "../../db/time-ordered-id.js";
import { isUniqueViolation } from "../../subscriptions/repository.js";
import { addDays } from "../../subscriptions/term-dates.js";
import { formatMoney, money } from "../domain/money.js";

export interface InvoiceRunDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  now(): Date;
  /** "automatic": an invoice is paid as it is issued; "manual": it stays open until the operator marks it. */
  collection: "manual" | "automatic";
}

export interface InvoiceRun {
  invoices: number;
  lines: number;
}

const accountBatch = 1000;

/** "2026-03" → "2026-04". */
export function nextMonth(month: string): string {
  const [year, mon] = month.split("-").map(Number) as [number, number];
  return mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, "0")}`;
}

/** The first instant after a month: when its invoice is issued. */
export function monthEnd(month: string): string {
  return `${nextMonth(month)}-01T00:00:00.000Z`;
}

/**
 * Billing accounts of a clock with a timed transition (renewal, trial conversion, expiry) due by `asOf`
 * but not applied yet, each with the month of the earliest one. Its lines will be dated from that day on,
 * so that month and later ones must not be invoiced before it is applied: a clock move steps the clock to
 * the end of a batch of transitions before applying them, and a worker may read the clock meanwhile.
 * A subscription suspended past the end of its term (or trial) counts too: if it is reinstated, the
 * renewal it missed is applied then, dated the day after that end. Read this before the ledger is brought
 * up to `asOf`.
 */
export async function pendingTransitionMonths(
  db: Kysely<Database>,
  clockName: string,
  asOf: Date,
): Promise<Map<string, string>> {
  const upTo = toStored(asOf);
  const [due, suspended] = await Promise.all([
    db
      .selectFrom("subscriptions")
      .select(["purchaser_tenant_id", sql<string>`min(next_due_at)`.as("first_due")])
      .where("test_clock", "=", clockName)
      .where("next_due_at", "<=", upTo)
      .groupBy("purchaser_tenant_id")
      .execute(),
    db
      .selectFrom("subscriptions")
      .select(["purchaser_tenant_id", "term_end", "trial_ends_at", "is_free_trial"])
      // A literal, so that both databases can use the partial index subscriptions_suspended.
      .where("status", "=", sql.lit("Suspended"))
      .where("test_clock", "=", clockName)
      .where("auto_renew", "=", 1)
      .execute(),
  ]);
  const months = new Map<string, string>();
  const hold = (account: string, at: string | null) => {
    if (at === null || at > upTo) return;
    const key = account.toLowerCase();
    const month = at.slice(0, 7);
    const held = months.get(key);
    if (held === undefined || month < held) months.set(key, month);
  };
  for (const row of due) hold(row.purchaser_tenant_id, row.first_due);
  for (const row of suspended) {
    const missed =
      isTrue(row.is_free_trial) && row.trial_ends_at
        ? row.trial_ends_at
        : row.term_end && toStored(addDays(new Date(row.term_end), 1));
    hold(row.purchaser_tenant_id, missed);
  }
  return months;
}

/** Raised when another run invoiced some of the lines first; the batch is read and drafted again. */
class InvoicedMeanwhile extends Error {}

/**
 * The month-end run of one clock: every line not on an invoice yet and dated before the clock's current
 * month goes on the invoice of its billing account, currency and month. A line whose month was already
 * invoiced (it was computed late) goes on the next month that has no invoice yet, if that month is over.
 * Accounts are taken a thousand at a time, so memory stays bounded whatever the size of the run.
 */
export async function issueInvoices(
  deps: InvoiceRunDeps,
  clockName: string,
  asOf: Date,
  /** Per billing account, the first month not to invoice yet (see pendingTransitionMonths). */
  held: ReadonlyMap<string, string> = new Map(),
): Promise<InvoiceRun> {
  const currentMonth = asOf.toISOString().slice(0, 7);
  const cutoff = `${currentMonth}-01`;
  const run: InvoiceRun = { invoices: 0, lines: 0 };
  let after = "";
  for (;;) {
    const accounts = (
      await deps.db
        .selectFrom("ledger_lines")
        .select("billing_account")
        .distinct()
        .where("clock", "=", clockName)
        .where("invoice_id", "is", null)
        .where("on_day", "<", cutoff)
        .where("billing_account", ">", after)
        .orderBy("billing_account")
        .limit(accountBatch)
        .execute()
    ).map((row) => row.billing_account);
    if (accounts.length === 0) return run;
    const issued = await issueRetrying(() =>
      issueForAccounts(deps, clockName, accounts, cutoff, currentMonth, held),
    );
    run.invoices += issued.invoices;
    run.lines += issued.lines;
    after = accounts[accounts.length - 1] ?? after;
    if (accounts.length < accountBatch) return run;
  }
}

/**
 * Another process may issue the same accounts' invoices at the same time: one of the two runs then meets
 * the unique (account, clock, currency, month) constraint or finds its lines invoiced already, rolls
 * back, and drafts again from what the other one committed.
 */
async function issueRetrying(issue: () => Promise<InvoiceRun>): Promise<InvoiceRun> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await issue();
    } catch (error) {
      if (attempt >= 5 || !(error instanceof InvoicedMeanwhile || isUniqueViolation(error))) throw error;
    }
  }
}

interface Draft {
  id: string;
  account: string;
  currency: string;
  month: string;
  totalMinor: bigint;
  lineIds: string[];
}

async function issueForAccounts(
  deps: InvoiceRunDeps,
  clockName: string,
  accounts: readonly string[],
  cutoff: string,
  currentMonth: string,
  held: ReadonlyMap<string, string>,
): Promise<InvoiceRun> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const lines = await trx
      .selectFrom("ledger_lines")
      .select(["id", "billing_account", "currency", "on_day", "amount_minor"])
      .where("clock", "=", clockName)
      .where("invoice_id", "is", null)
      .where("on_day", "<", cutoff)
      .where("billing_account", "in", accounts)
      .orderBy("billing_account")
      .orderBy("on_day")
      .orderBy("id")
      .execute();
    const existing = await trx
      .selectFrom("invoices")
      .select(["billing_account", "currency", "month"])
      .where("clock", "=", clockName)
      .where("billing_account", "in", accounts)
      .execute();
    const taken = new Set(existing.map((row) => `${row.billing_account}|${row.currency}|${row.month}`));
    const drafts = new Map<string, Draft>();
    for (const line of lines) {
      let month = line.on_day.slice(0, 7);
      while (taken.has(`${line.billing_account}|${line.currency}|${month}`)) month = nextMonth(month);
      const hold = held.get(line.billing_account);
      if (month >= currentMonth || (hold !== undefined && month >= hold)) continue;
      const key = `${line.billing_account}|${line.currency}|${month}`;
      let draft = drafts.get(key);
      if (!draft) {
        draft = {
          id: timeOrderedId(),
          account: line.billing_account,
          currency: line.currency,
          month,
          totalMinor: 0n,
          lineIds: [],
        };
        drafts.set(key, draft);
      }
      draft.totalMinor += BigInt(String(line.amount_minor));
      draft.lineIds.push(line.id);
    }
    const all = [...drafts.values()];
    const stamp = toStored(now);
    const status: InvoiceStatus = deps.collection === "automatic" ? "paid" : "open";
    for (const chunk of fixedChunks(all)) {
      await trx
        .insertInto("invoices")
        .values(
          chunk.map((draft) => ({
            id: draft.id,
            billing_account: draft.account,
            clock: clockName,
            currency: draft.currency,
            month: draft.month,
            status,
            total: formatMoney(money(draft.currency, draft.totalMinor)),
            total_minor: draft.totalMinor.toString(),
            line_count: draft.lineIds.length,
            issued_at: monthEnd(draft.month),
            paid_at: status === "paid" ? monthEnd(draft.month) : null,
            failed_at: null,
            created_at: stamp,
            updated_at: stamp,
          })),
        )
        .execute();
    }
    const pairs = all.flatMap((draft) => draft.lineIds.map((lineId) => [lineId, draft.id] as const));
    for (const chunk of fixedChunks(pairs, [1000, 100, 10, 1])) {
      await assignLines(trx, deps.dialect, chunk);
    }
    return { invoices: all.length, lines: pairs.length };
  });
}

/** One statement per thousand lines: UPDATE … FROM a VALUES list of (line id, invoice id). */
async function assignLines(
  trx: Kysely<Database>,
  dialect: Dialect,
  pairs: readonly (readonly [string, string])[],
): Promise<void> {
  if (pairs.length === 0) return;
  const values = sql.join(pairs.map(([lineId, invoiceId]) => sql`(${lineId}, ${invoiceId})`));
  const source =
    dialect === "postgres"
      ? sql`(values ${values}) as v(line_id, invoice_id)`
      : sql`(select column1 as line_id, column2 as invoice_id from (values ${values})) as v`;
  // Only lines still without an invoice: a concurrent run that invoiced one of them first makes this
  // run start over rather than move the line off the invoice it is on.
  const result =
    await sql`update ledger_lines set invoice_id = v.invoice_id from ${source} where ledger_lines.id = v.line_id and ledger_lines.invoice_id is null`.execute(
      trx,
    );
  if (result.numAffectedRows !== undefined && Number(result.numAffectedRows) !== pairs.length) {
    throw new InvoicedMeanwhile("another run invoiced some of these lines first");
  }
}
