import type { FastifyReply, FastifyRequest } from "fastify";
import { attachment, csvContentType, toCsv } from "../../csv.js";
import type { InvoiceRow } from "../../payments.js";
import { invoiceColumns, lineColumns } from "./csv-columns.js";
import { invoiceView, type LedgerLineRow, lineView } from "./views.js";

function sendCsv(reply: FastifyReply, filename: string, text: string): FastifyReply {
  return reply.type(csvContentType).header("content-disposition", attachment(filename)).send(text);
}

/** One row per invoice. */
export function sendInvoiceListCsv(reply: FastifyReply, filename: string, invoices: readonly InvoiceRow[]) {
  return sendCsv(reply, filename, toCsv(invoiceColumns, invoices.map(invoiceView)));
}

/** One row per line of the invoice. */
export function sendInvoiceLinesCsv(
  reply: FastifyReply,
  invoice: InvoiceRow,
  lines: readonly LedgerLineRow[],
) {
  return sendCsv(
    reply,
    `invoice-${invoice.month}-${invoice.id}.csv`,
    toCsv(lineColumns(invoice), lines.map(lineView)),
  );
}

/** `link: <…?after=…>; rel="next"` on a listing that has another page (CSV answers have no body field for it). */
export function linkNext(request: FastifyRequest, reply: FastifyReply, next: string | null): void {
  if (next === null) return;
  const url = new URL(request.url, "http://saasport.invalid");
  url.searchParams.set("after", next);
  reply.header("link", `<${url.pathname}${url.search}>; rel="next"`);
}
