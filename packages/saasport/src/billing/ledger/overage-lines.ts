import type { TermUnit } from "../../catalog/model.js";
import { addDays, addMonthsClamped } from "../../subscriptions/term-dates.js";
import { isoDate } from "../domain/dates.js";
import {
  addRatios,
  formatDecimal,
  multiplyRatios,
  parseDecimal,
  type Ratio,
  zeroRatio,
} from "../domain/exact.js";
import { roundToMoney, subtract } from "../domain/money.js";
import { meteredOverage } from "../domain/overage.js";
import { meterUnitPrice } from "../domain/term-charge.js";
import type { ComputedLine } from "./ledger-line.js";
import type { LedgerContext } from "./pricing.js";
import type { BilledTerm } from "./terms.js";

/** Accepted usage of one subscription, summed per plan, dimension and UTC day. */
export interface UsageDay {
  planId: string;
  dimension: string;
  /** ISO day. */
  day: string;
  /** Exact decimal. */
  quantity: string;
}

/** One billing month of a term: from `start` up to the day before `endExclusive` (ISO days). */
export interface BillingMonth {
  start: string;
  endExclusive: string;
  /** Usage for the month can arrive for 24 hours after it ends (the Metering API's lookback). */
  finalAt: Date;
}

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/**
 * The billing months of a term: monthly periods counted from the term start, the last one cut at the
 * term end. A month of a cancelled term that starts after the cancellation day is dropped.
 */
export function billingMonths(term: BilledTerm): BillingMonth[] {
  const months: BillingMonth[] = [];
  const start = day(term.start);
  const termEndExclusive = addDays(day(term.end), 1);
  const cancelDay = term.cancellation ? isoDate(new Date(term.cancellation.at)) : undefined;
  for (let k = 0; ; k += 1) {
    const monthStart = addMonthsClamped(start, k);
    if (monthStart.getTime() >= termEndExclusive.getTime()) break;
    if (cancelDay !== undefined && isoDate(monthStart) > cancelDay) break;
    const next = addMonthsClamped(start, k + 1);
    const endExclusive = next.getTime() < termEndExclusive.getTime() ? next : termEndExclusive;
    months.push({
      start: isoDate(monthStart),
      endExclusive: isoDate(endExclusive),
      finalAt: addDays(endExclusive, 1),
    });
  }
  return months;
}

/**
 * Overage lines of one term (spec §7.4) for the billing months that are final by `asOf`: per plan and
 * dimension, usage above the included quantity × the price per unit (a private discount applies). Each
 * line is dated the day after its month, so March's usage goes on the invoice of the next month.
 */
export function overageLinesOfTerm(
  ctx: LedgerContext,
  term: BilledTerm,
  usage: readonly UsageDay[],
  asOf: Date,
): ComputedLine[] {
  if (ctx.pricingModel !== "flatRate" || term.freeTrial) return [];
  const months = billingMonths(term).filter((month) => month.finalAt.getTime() <= asOf.getTime());
  const first = months[0];
  const last = months.at(-1);
  if (!first || !last) return [];
  const inTerm = usage.filter((entry) => entry.day >= first.start && entry.day < last.endExclusive);
  const pairs = new Map<string, { planId: string; dimension: string }>();
  for (const entry of inTerm) pairs.set(`${entry.planId}\u0000${entry.dimension}`, entry);
  const lines: ComputedLine[] = [];
  for (const { planId, dimension: dimensionId } of [...pairs.values()].sort(byPair)) {
    const dimension = ctx.plan(planId)?.meteringDimensions.find((candidate) => candidate.id === dimensionId);
    if (!dimension) continue;
    const pricing = ctx.price({
      termStart: term.start,
      planId,
      seats: null,
      termUnit: term.termUnit,
      paymentOption: term.paymentOption,
      freeTrial: false,
      decidedAt: term.segments.find((segment) => segment.planId === planId)?.decidedAt ?? term.start,
    });
    const unitPrice = meterUnitPrice(dimension, pricing.privatePrice ?? undefined, day(term.start));
    const used = months.map((month) => {
      let total: Ratio = zeroRatio;
      for (const entry of inTerm) {
        if (entry.planId === planId && entry.dimension === dimensionId && entry.day >= month.start) {
          if (entry.day < month.endExclusive) total = addRatios(total, parseDecimal(entry.quantity));
        }
      }
      return { month: month.start, quantity: formatDecimal(total) };
    });
    const overage = meteredOverage({
      termUnit: term.termUnit as TermUnit,
      includedQuantity: dimension.includedQuantity[term.termUnit as TermUnit],
      unitPrice,
      currency: dimension.currency,
      months: used,
    });
    overage.forEach((line, index) => {
      const month = months[index];
      if (!month || line.amount.minor === 0n) return;
      const atList =
        unitPrice === dimension.pricePerUnit
          ? line.amount
          : roundToMoney(
              dimension.currency,
              multiplyRatios(parseDecimal(line.billable), parseDecimal(dimension.pricePerUnit)),
            );
      const discounted = unitPrice !== dimension.pricePerUnit;
      lines.push({
        key: `${ctx.subscriptionId}|${term.start}|overage|${planId}|${dimensionId}|${month.start}`,
        kind: "overage",
        description: `${dimension.displayName}: ${line.billable} ${dimension.unitOfMeasure} over the included ${line.includedApplied} (used ${line.used}), ${month.start} to ${isoDate(addDays(day(month.endExclusive), -1))}`,
        on: month.endExclusive,
        periodStart: month.start,
        periodEnd: isoDate(addDays(day(month.endExclusive), -1)),
        planId,
        quantity: line.billable,
        unitPrice,
        amount: line.amount,
        listAmount: ctx.reseller || discounted ? atList : null,
        resellerMargin: ctx.reseller ? subtract(atList, line.amount) : null,
        privateOfferId: discounted ? pricing.privateOfferId : null,
      });
    });
  }
  return lines;
}

function byPair(a: { planId: string; dimension: string }, b: { planId: string; dimension: string }): number {
  return a.planId.localeCompare(b.planId) || a.dimension.localeCompare(b.dimension);
}
