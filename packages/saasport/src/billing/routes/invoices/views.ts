import type { Selectable } from "kysely";
import type { LedgerLineTable } from "../../../db/tables.js";
import type { InvoiceRow } from "../../payments.js";

export type LedgerLineRow = Selectable<LedgerLineTable>;

export function invoiceView(row: InvoiceRow) {
  return {
    id: row.id,
    billingAccount: row.billing_account,
    month: row.month,
    currency: row.currency,
    status: row.status,
    total: row.total,
    lineCount: Number(row.line_count),
    issuedAt: row.issued_at,
    paidAt: row.paid_at,
    failedAt: row.failed_at,
    testClock: row.clock === "" ? null : row.clock,
  };
}

export type InvoiceViewShape = ReturnType<typeof invoiceView>;

export function lineView(row: LedgerLineRow) {
  return {
    id: row.id,
    kind: row.kind,
    description: row.description,
    subscriptionId: row.subscription_id,
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    planId: row.plan_id,
    onDay: row.on_day,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    quantity: row.quantity,
    unitPrice: row.unit_price,
    amount: row.amount,
    listAmount: row.list_amount,
    resellerMargin: row.reseller_margin,
    privateOfferId: row.private_offer_id,
    currency: row.currency,
  };
}

export type LineViewShape = ReturnType<typeof lineView>;

export function detailView(invoice: InvoiceRow, lines: readonly LedgerLineRow[]) {
  return { ...invoiceView(invoice), lines: lines.map(lineView) };
}
