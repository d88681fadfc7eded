import type { Kysely } from "kysely";
import type { Database, InvoiceStatus } from "../../../db/tables.js";
import type { InvoiceRow } from "../../payments.js";
import { encodeCursor, type PageCursor } from "./query-params.js";
import type { LedgerLineRow } from "./views.js";

export interface InvoiceFilter {
  billingAccount?: string | undefined;
  status?: InvoiceStatus | undefined;
  month?: string | undefined;
  /** undefined: every clock; "": the global clock. */
  clock?: string | undefined;
}

export interface InvoicePage {
  invoices: InvoiceRow[];
  /** The cursor of the next page; null on the last page. */
  next: string | null;
}

/** Newest month first, then by id (descending), keyset-paged on (month, id). */
export async function listInvoices(
  db: Kysely<Database>,
  filter: InvoiceFilter,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<InvoicePage> {
  let query = db.selectFrom("invoices").selectAll();
  if (filter.billingAccount !== undefined) query = query.where("billing_account", "=", filter.billingAccount);
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  if (filter.month !== undefined) query = query.where("month", "=", filter.month);
  if (filter.clock !== undefined) query = query.where("clock", "=", filter.clock);
  const after = page.after;
  if (after)
    query = query.where((eb) => eb(eb.refTuple("month", "id"), "<", eb.tuple(after.month, after.id)));
  // One row more than asked tells whether another page follows, without an empty last page.
  const rows = await query
    .orderBy("month", "desc")
    .orderBy("id", "desc")
    .limit(page.limit + 1)
    .execute();
  const invoices = rows.slice(0, page.limit);
  const last = invoices.at(-1);
  return { invoices, next: rows.length > page.limit && last ? encodeCursor(last) : null };
}

/** An invoice's lines in date order (then by subscription, then in the ledger's own order). */
export function linesOfInvoice(db: Kysely<Database>, invoiceId: string): Promise<LedgerLineRow[]> {
  return db
    .selectFrom("ledger_lines")
    .selectAll()
    .where("invoice_id", "=", invoiceId)
    .orderBy("on_day")
    .orderBy("subscription_id")
    .orderBy("line_key")
    .execute();
}
