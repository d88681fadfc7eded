import { type Kysely, sql } from "kysely";
import type { Database, LedgerLineKind } from "../db/tables.js";
import { payoutStatements } from "./domain/fees.js";
import { formatMoney, money, parseMoney } from "./domain/money.js";
import { monthEnd, nextMonth } from "./sync/issue-invoices.js";

/** Months as "YYYY-MM", both included; an absent end is open. */
export interface MonthRange {
  from?: string | undefined;
  to?: string | undefined;
}

export interface PayoutStatementView {
  publisherId: string;
  month: string;
  currency: string;
  collected: string;
  storeFee: string;
  payout: string;
  /** Paid invoices that carry lines of this publisher in this currency. */
  invoices: number;
  lines: number;
}

/**
 * Payout statements, one per publisher, month and currency: the lines of paid invoices are collected in
 * the month (UTC) of the invoice's `paid_at`, and `payoutStatements` takes the store fee once on each
 * month's total. Amounts are summed per invoice in SQL as exact integers (text, so no driver turns them
 * into floats), then in BigInt.
 */
export async function listPayoutStatements(
  db: Kysely<Database>,
  filter: MonthRange & { publisherId?: string | undefined },
  feePercent: string,
): Promise<PayoutStatementView[]> {
  let query = db
    .selectFrom("ledger_lines as l")
    .innerJoin("invoices as i", "i.id", "l.invoice_id")
    .select([
      "l.publisher_id",
      "l.currency",
      "i.id as invoice_id",
      "i.paid_at",
      sql<string>`cast(sum(l.amount_minor) as text)`.as("amount_minor"),
      sql<number>`count(*)`.as("line_count"),
    ])
    .where("i.status", "=", "paid")
    .where("i.paid_at", "is not", null)
    .groupBy(["l.publisher_id", "l.currency", "i.id", "i.paid_at"]);
  if (filter.publisherId !== undefined) query = query.where("l.publisher_id", "=", filter.publisherId);
  if (filter.from !== undefined) query = query.where("i.paid_at", ">=", `${filter.from}-01T00:00:00.000Z`);
  if (filter.to !== undefined) query = query.where("i.paid_at", "<", monthEnd(filter.to));
  const perInvoice = await query.execute();

  const counts = new Map<string, { invoices: number; lines: number }>();
  const collections = perInvoice.map((row) => {
    const month = String(row.paid_at).slice(0, 7);
    const key = statementKey(row.publisher_id, month, row.currency);
    const count = counts.get(key) ?? { invoices: 0, lines: 0 };
    count.invoices += 1;
    count.lines += Number(row.line_count);
    counts.set(key, count);
    return {
      publisherId: row.publisher_id,
      month,
      amount: money(row.currency, BigInt(String(row.amount_minor))),
    };
  });
  return payoutStatements(collections, feePercent).map((statement) => {
    const count = counts.get(statementKey(statement.publisherId, statement.month, statement.currency));
    return {
      publisherId: statement.publisherId,
      month: statement.month,
      currency: statement.currency,
      collected: formatMoney(statement.collected),
      storeFee: formatMoney(statement.storeFee),
      payout: formatMoney(statement.payout),
      invoices: count?.invoices ?? 0,
      lines: count?.lines ?? 0,
    };
  });
}

function statementKey(publisherId: string, month: string, currency: string): string {
  return JSON.stringify([publisherId, month, currency]);
}

export const lineKinds = [
  "instalment",
  "prorationCredit",
  "prorationCharge",
  "refund",
  "overage",
] as const satisfies readonly LedgerLineKind[];

export interface RevenueFilter {
  publisherId: string;
  from: string;
  to: string;
  offerId?: string | undefined;
  planId?: string | undefined;
}

/** What was earned, invoiced and collected; `resellerMargin` is null when no line has one. */
export interface RevenueTotals {
  total: string;
  invoiced: string;
  collected: string;
  resellerMargin: string | null;
}

export interface PlanRevenue extends RevenueTotals {
  offerId: string;
  planId: string;
  byKind: Record<LedgerLineKind, string>;
}

export interface MonthRevenue extends RevenueTotals {
  month: string;
  currency: string;
  offers: PlanRevenue[];
}

/** Exact running sums in minor units. */
interface Sums {
  total: bigint;
  invoiced: bigint;
  collected: bigint;
  /** Null until a line with a reseller margin is seen. */
  resellerMargin: bigint | null;
}

interface PlanSums extends Sums {
  offerId: string;
  planId: string;
  byKind: Record<LedgerLineKind, bigint>;
}

interface MonthSums extends Sums {
  month: string;
  currency: string;
  plans: Map<string, PlanSums>;
}

/**
 * A publisher's revenue per month of the lines' dates (`on_day`) and currency, per offer and plan: every
 * line counts whether or not it was invoiced or paid yet; `invoiced` and `collected` say how much of it
 * is on an invoice and on a paid one. The lines are grouped in SQL by everything the report tells apart
 * (including the margin text, so margins are summed exactly here as margin × lines).
 */
export async function publisherRevenue(db: Kysely<Database>, filter: RevenueFilter): Promise<MonthRevenue[]> {
  const lineMonth = sql<string>`substr(l.on_day, 1, 7)`;
  const invoiced = sql<number>`case when l.invoice_id is null then 0 else 1 end`;
  const collected = sql<number>`case when i.status = 'paid' then 1 else 0 end`;
  let query = db
    .selectFrom("ledger_lines as l")
    .leftJoin("invoices as i", "i.id", "l.invoice_id")
    .select([
      lineMonth.as("line_month"),
      "l.currency",
      "l.offer_id",
      "l.plan_id",
      "l.kind",
      "l.reseller_margin",
      invoiced.as("is_invoiced"),
      collected.as("is_collected"),
      sql<string>`cast(sum(l.amount_minor) as text)`.as("amount_minor"),
      sql<number>`count(*)`.as("line_count"),
    ])
    .where("l.publisher_id", "=", filter.publisherId)
    .where("l.on_day", ">=", `${filter.from}-01`)
    .where("l.on_day", "<", `${nextMonth(filter.to)}-01`)
    .groupBy([
      lineMonth,
      "l.currency",
      "l.offer_id",
      "l.plan_id",
      "l.kind",
      "l.reseller_margin",
      invoiced,
      collected,
    ]);
  if (filter.offerId !== undefined) query = query.where("l.offer_id", "=", filter.offerId);
  if (filter.planId !== undefined) query = query.where("l.plan_id", "=", filter.planId);
  const groups = await query.execute();

  const months = new Map<string, MonthSums>();
  for (const group of groups) {
    const monthKey = JSON.stringify([group.line_month, group.currency]);
    let month = months.get(monthKey);
    if (!month) {
      month = { month: group.line_month, currency: group.currency, plans: new Map(), ...emptySums() };
      months.set(monthKey, month);
    }
    const planKey = JSON.stringify([group.offer_id, group.plan_id]);
    let plan = month.plans.get(planKey);
    if (!plan) {
      plan = {
        offerId: group.offer_id,
        planId: group.plan_id,
        byKind: Object.fromEntries(lineKinds.map((kind) => [kind, 0n])) as Record<LedgerLineKind, bigint>,
        ...emptySums(),
      };
      month.plans.set(planKey, plan);
    }
    const amount = BigInt(String(group.amount_minor));
    const margin =
      group.reseller_margin === null
        ? null
        : parseMoney(group.reseller_margin, group.currency).minor * BigInt(Number(group.line_count));
    plan.byKind[group.kind] += amount;
    for (const sums of [plan, month]) {
      sums.total += amount;
      if (Number(group.is_invoiced) === 1) sums.invoiced += amount;
      if (Number(group.is_collected) === 1) sums.collected += amount;
      if (margin !== null) sums.resellerMargin = (sums.resellerMargin ?? 0n) + margin;
    }
  }
  return [...months.values()].sort(byKeys((month) => [month.month, month.currency])).map((month) => ({
    month: month.month,
    currency: month.currency,
    offers: [...month.plans.values()].sort(byKeys((plan) => [plan.offerId, plan.planId])).map((plan) => ({
      offerId: plan.offerId,
      planId: plan.planId,
      byKind: Object.fromEntries(
        lineKinds.map((kind) => [kind, format(month.currency, plan.byKind[kind])]),
      ) as Record<LedgerLineKind, string>,
      ...formatSums(month.currency, plan),
    })),
    ...formatSums(month.currency, month),
  }));
}

function emptySums(): Sums {
  return { total: 0n, invoiced: 0n, collected: 0n, resellerMargin: null };
}

function format(currency: string, minor: bigint): string {
  return formatMoney(money(currency, minor));
}

function formatSums(currency: string, sums: Sums): RevenueTotals {
  return {
    total: format(currency, sums.total),
    invoiced: format(currency, sums.invoiced),
    collected: format(currency, sums.collected),
    resellerMargin: sums.resellerMargin === null ? null : format(currency, sums.resellerMargin),
  };
}

function byKeys<T>(keys: (value: T) => string[]) {
  return (a: T, b: T): number => {
    const left = keys(a);
    const right = keys(b);
    for (let index = 0; index < left.length; index += 1) {
      const x = left[index] ?? "";
      const y = right[index] ?? "";
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}
