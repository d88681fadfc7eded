import type { CsvColumn } from "../../csv.js";
import type { InvoiceViewShape, LineViewShape } from "./views.js";

/** One row per invoice; the CLI writes the same columns from the JSON views. */
export const invoiceColumns: CsvColumn<InvoiceViewShape>[] = [
  { header: "id", value: (invoice) => invoice.id },
  { header: "billingAccount", value: (invoice) => invoice.billingAccount },
  { header: "month", value: (invoice) => invoice.month },
  { header: "currency", value: (invoice) => invoice.currency },
  { header: "status", value: (invoice) => invoice.status },
  { header: "total", value: (invoice) => invoice.total },
  { header: "lineCount", value: (invoice) => invoice.lineCount },
  { header: "issuedAt", value: (invoice) => invoice.issuedAt },
  { header: "paidAt", value: (invoice) => invoice.paidAt },
  { header: "failedAt", value: (invoice) => invoice.failedAt },
  { header: "testClock", value: (invoice) => invoice.testClock },
];

/** One row per line of an invoice, each naming the invoice. */
export function lineColumns(invoice: { id: string; month: string }): CsvColumn<LineViewShape>[] {
  return [
    { header: "invoiceId", value: () => invoice.id },
    { header: "month", value: () => invoice.month },
    { header: "lineId", value: (line) => line.id },
    { header: "kind", value: (line) => line.kind },
    { header: "description", value: (line) => line.description },
    { header: "subscriptionId", value: (line) => line.subscriptionId },
    { header: "publisherId", value: (line) => line.publisherId },
    { header: "offerId", value: (line) => line.offerId },
    { header: "planId", value: (line) => line.planId },
    { header: "onDay", value: (line) => line.onDay },
    { header: "periodStart", value: (line) => line.periodStart },
    { header: "periodEnd", value: (line) => line.periodEnd },
    { header: "quantity", value: (line) => line.quantity },
    { header: "unitPrice", value: (line) => line.unitPrice },
    { header: "currency", value: (line) => line.currency },
    { header: "amount", value: (line) => line.amount },
    { header: "listAmount", value: (line) => line.listAmount },
    { header: "resellerMargin", value: (line) => line.resellerMargin },
    { header: "privateOfferId", value: (line) => line.privateOfferId },
  ];
}
