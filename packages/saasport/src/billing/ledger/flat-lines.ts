import type { PaymentOption, TermUnit } from "../../catalog/model.js";
import { isoDate } from "../domain/dates.js";
import { type Money, negate, subtract, sum } from "../domain/money.js";
import { billTerm, type TermLine } from "../domain/proration.js";
import type { ComputedLine } from "./ledger-line.js";
import type { LedgerContext, TermPricing } from "./pricing.js";
import type { BilledTerm, TermSegment } from "./terms.js";

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/**
 * Every flat line of one term, whether due yet or not: instalments (at the price in force when each
 * falls due), proration credits and charges for mid-term changes, and, for a cancellation inside the
 * refund window, the refund of everything charged so far (instalments after it are dropped). After the
 * window the term stays charged to its end. A free-trial term has no flat lines.
 */
export function flatLinesOfTerm(ctx: LedgerContext, term: BilledTerm): ComputedLine[] {
  if (term.freeTrial) return [];
  const priced = term.segments.map((segment) => ({ segment, pricing: priceOf(ctx, term, segment) }));
  const [first, ...later] = priced;
  if (!first) return [];
  // Changes in date order (same-day changes keep their order), as billTerm applies them: its k-th credit
  // and charge settle the k-th change, so the credit is labelled with the segment before it.
  const changes = later
    .map((entry, position) => ({ entry, position }))
    .sort((a, b) => a.entry.segment.on.localeCompare(b.entry.segment.on) || a.position - b.position)
    .map(({ entry }) => entry);
  const chain = [first, ...changes];
  const bill = (pick: (pricing: TermPricing) => Money) =>
    billTerm({
      termStart: day(term.start),
      termUnit: term.termUnit as TermUnit,
      paymentOption: term.paymentOption as PaymentOption,
      termPrice: pick(first.pricing),
      changes: changes.map(({ segment, pricing }) => ({ on: day(segment.on), newTermPrice: pick(pricing) })),
      policy: ctx.policy,
    });
  const charged = bill((pricing) => pricing.amount);
  const atList = bill((pricing) => pricing.listAmount);
  const instalmentCount = charged.instalments.length;
  const ordinals = new Map<string, number>();
  let settled = 0;
  let lines: ComputedLine[] = charged.lines.map((line, position) => {
    const listLine = atList.lines[position];
    // Under policy "none" the term keeps its first price to its end.
    let entry = first;
    if (ctx.policy !== "none") {
      if (line.kind === "instalment") entry = segmentOn(chain, line);
      else if (line.kind === "prorationCredit") entry = chain[settled] ?? first;
      else {
        settled += 1;
        entry = chain[settled] ?? first;
      }
    }
    const { segment, pricing } = entry;
    const period = charged.instalments[line.instalment - 1];
    const differs = listLine !== undefined && pricing.privateOfferId !== null;
    return {
      key: lineKey(ctx.subscriptionId, term.start, line, ordinals),
      kind: line.kind,
      description: describe(ctx, term, line, segment, instalmentCount),
      on: line.on,
      periodStart: line.kind === "instalment" ? (period?.dueOn ?? line.on) : line.on,
      periodEnd: period?.coversUntil ?? term.end,
      planId: segment.planId,
      quantity: segment.seats === null ? null : String(segment.seats),
      unitPrice: null,
      amount: line.amount,
      listAmount: ctx.reseller || differs ? (listLine?.amount ?? null) : null,
      resellerMargin: ctx.reseller && listLine ? subtract(listLine.amount, line.amount) : null,
      privateOfferId: pricing.privateOfferId,
    } satisfies ComputedLine;
  });
  const cancellation = term.cancellation;
  if (cancellation?.withinRefundWindow) {
    const cancelDay = isoDate(new Date(cancellation.at));
    lines = lines.filter((line) => line.on <= cancelDay);
    const currency = first.pricing.amount.currency;
    const refunded = sum(
      currency,
      lines.map((line) => line.amount),
    );
    // The refund reverses the list amount and the reseller margin too, so a refunded term nets to zero.
    const listed = lines.some((line) => line.listAmount !== null);
    const refundedList = sum(
      currency,
      lines.map((line) => line.listAmount ?? line.amount),
    );
    if (refunded.minor !== 0n) {
      lines.push({
        key: `${ctx.subscriptionId}|${term.start}|refund|${cancelDay}`,
        kind: "refund",
        description: `${planName(ctx, term.segments.at(-1)?.planId ?? first.segment.planId)}: refund, cancelled within the refund window`,
        on: cancelDay,
        periodStart: term.start,
        periodEnd: term.end,
        planId: term.segments.at(-1)?.planId ?? first.segment.planId,
        quantity: null,
        unitPrice: null,
        amount: negate(refunded),
        listAmount: ctx.reseller || listed ? negate(refundedList) : null,
        resellerMargin: ctx.reseller ? subtract(refunded, refundedList) : null,
        privateOfferId: null,
      });
    }
  }
  return lines;
}

/**
 * A line's key names its term, instalment period and kind, and for proration lines the change's day and
 * its rank among that day's changes, never its position in the term's list, so a later change never
 * renames a line already stored.
 */
function lineKey(
  subscriptionId: string,
  termStart: string,
  line: TermLine,
  ordinals: Map<string, number>,
): string {
  const base = `${subscriptionId}|${termStart}|${line.instalment}|${line.kind}`;
  if (line.kind === "instalment") return base;
  const rank = (ordinals.get(`${base}|${line.on}`) ?? 0) + 1;
  ordinals.set(`${base}|${line.on}`, rank);
  return `${base}|${line.on}|${rank}`;
}

function priceOf(ctx: LedgerContext, term: BilledTerm, segment: TermSegment): TermPricing {
  return ctx.price({
    termStart: term.start,
    planId: segment.planId,
    seats: segment.seats,
    termUnit: term.termUnit,
    paymentOption: term.paymentOption,
    freeTrial: false,
    decidedAt: segment.decidedAt,
  });
}

/** The segment an instalment is charged at: the one in force the day before it falls due. */
function segmentOn<T extends { segment: TermSegment }>(chain: readonly T[], line: TermLine): T {
  return chain.filter(({ segment }) => segment.on < line.on).at(-1) ?? (chain[0] as T);
}

function planName(ctx: LedgerContext, planId: string): string {
  return ctx.plan(planId)?.displayName ?? planId;
}

function describe(
  ctx: LedgerContext,
  term: BilledTerm,
  line: TermLine,
  segment: TermSegment,
  count: number,
): string {
  const seats = segment.seats === null ? "" : `, ${segment.seats} seat${segment.seats === 1 ? "" : "s"}`;
  const name = planName(ctx, segment.planId);
  switch (line.kind) {
    case "instalment":
      return count === 1
        ? `${name}: term ${term.start} to ${term.end}${seats}`
        : `${name}: instalment ${line.instalment} of ${count}, term ${term.start} to ${term.end}${seats}`;
    case "prorationCredit":
      return `${name}: credit for unused days from ${line.on}${seats}`;
    case "prorationCharge":
      return `${name}: charge for the days from ${line.on}${seats}`;
  }
}
