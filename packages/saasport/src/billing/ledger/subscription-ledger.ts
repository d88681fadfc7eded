import { isoDate } from "../domain/dates.js";
import { flatLinesOfTerm } from "./flat-lines.js";
import type { ComputedLine } from "./ledger-line.js";
import { billingMonths, overageLinesOfTerm, type UsageDay } from "./overage-lines.js";
import type { LedgerContext } from "./pricing.js";
import { type BilledTerm, type LedgerEvent, termsFromEvents } from "./terms.js";

export interface SubscriptionLedger {
  /** Every line due by `asOf`, in term and date order. */
  lines: ComputedLine[];
  /** When the next line falls due (an instalment's day, or a billing month's usage becoming final). */
  nextDueAt: Date | null;
}

/**
 * A subscription's ledger as of a moment, computed from its event log and accepted usage alone. It is a
 * pure function of its inputs, so the stored ledger (written bit by bit as time passes) and one computed
 * at once from the whole history must agree line for line.
 *
 * With `from` (an ISO day), only the lines dated on or after it are wanted: the same lines as the whole
 * ledger filtered by date, but the terms that cannot date anything that late are not computed at all, so
 * bringing a long-lived subscription up to date costs its latest terms, not its whole history.
 */
export function computeLedger(
  ctx: LedgerContext,
  events: readonly LedgerEvent[],
  usage: readonly UsageDay[],
  asOf: Date,
  options: { from?: string } = {},
): SubscriptionLedger {
  const today = isoDate(asOf);
  const from = options.from ?? "";
  const lines: ComputedLine[] = [];
  let nextDue: number | null = null;
  const later = (at: Date) => {
    if (at.getTime() > asOf.getTime() && (nextDue === null || at.getTime() < nextDue)) nextDue = at.getTime();
  };
  for (const term of termsFromEvents(events)) {
    const last = lastDayOf(term);
    if (last < from && last < today) continue;
    for (const line of flatLinesOfTerm(ctx, term)) {
      if (line.on > today) later(new Date(`${line.on}T00:00:00.000Z`));
      else if (line.on >= from) lines.push(line);
    }
    for (const line of overageLinesOfTerm(ctx, term, usage, asOf)) if (line.on >= from) lines.push(line);
    const metered = term.segments.some(
      (segment) => (ctx.plan(segment.planId)?.meteringDimensions.length ?? 0) > 0,
    );
    if (ctx.pricingModel === "flatRate" && !term.freeTrial && metered) {
      for (const month of billingMonths(term)) later(month.finalAt);
    }
  }
  return { lines, nextDueAt: nextDue === null ? null : new Date(nextDue) };
}

/**
 * The latest day a term can date a line or a due moment: instalments and proration lie within the term,
 * a billing month's overage is dated the day after the month and final the day after that, and a refund
 * is dated on the cancellation's day.
 */
function lastDayOf(term: BilledTerm): string {
  const afterEnd = isoDate(new Date(Date.parse(`${term.end}T00:00:00.000Z`) + 2 * 86_400_000));
  const cancelled = term.cancellation && isoDate(new Date(term.cancellation.at));
  if (cancelled && cancelled > afterEnd) return cancelled;
  return afterEnd;
}

export type { ComputedLine, LedgerContext, LedgerEvent, UsageDay };
