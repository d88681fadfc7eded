import type { CsvColumn } from "../../csv.js";
import { lineKinds, type MonthRevenue, type PayoutStatementView, type PlanRevenue } from "../../payouts.js";

/** One CSV record per offer and plan of a month: the month's fields repeated on each. */
export interface RevenueRecord {
  publisherId: string;
  month: MonthRevenue;
  plan: PlanRevenue;
}

export const revenueColumns: CsvColumn<RevenueRecord>[] = [
  { header: "publisherId", value: (row) => row.publisherId },
  { header: "month", value: (row) => row.month.month },
  { header: "currency", value: (row) => row.month.currency },
  { header: "offerId", value: (row) => row.plan.offerId },
  { header: "planId", value: (row) => row.plan.planId },
  ...lineKinds.map((kind) => ({ header: kind, value: (row: RevenueRecord) => row.plan.byKind[kind] })),
  { header: "total", value: (row) => row.plan.total },
  { header: "invoiced", value: (row) => row.plan.invoiced },
  { header: "collected", value: (row) => row.plan.collected },
  { header: "resellerMargin", value: (row) => row.plan.resellerMargin },
];

export function revenueRecords(publisherId: string, months: readonly MonthRevenue[]): RevenueRecord[] {
  return months.flatMap((month) => month.offers.map((plan) => ({ publisherId, month, plan })));
}

export function payoutColumns(storeFeePercent: string): CsvColumn<PayoutStatementView>[] {
  return [
    { header: "publisherId", value: (row) => row.publisherId },
    { header: "month", value: (row) => row.month },
    { header: "currency", value: (row) => row.currency },
    { header: "collected", value: (row) => row.collected },
    { header: "storeFeePercent", value: () => storeFeePercent },
    { header: "storeFee", value: (row) => row.storeFee },
    { header: "payout", value: (row) => row.payout },
    { header: "invoices", value: (row) => row.invoices },
    { header: "lines", value: (row) => row.lines },
  ];
}
