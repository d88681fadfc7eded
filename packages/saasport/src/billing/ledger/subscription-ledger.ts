import { isoDate } from "../domain/dates.js";
import { flatLinesOfTerm } from "./flat-lines.js";
import type { ComputedLine } from "./ledger-line.js";
import { billingMonths, overageLinesOfTerm, type UsageDay } from "./overage-lines.js";
import type { LedgerContext } from "./pricing.js";
import { type LedgerEvent, termsFromEvents } from "./terms.js";

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
 */
export function computeLedger(
  ctx: LedgerContext,
  events: readonly LedgerEvent[],
  usage: readonly UsageDay[],
  asOf: Date,
): SubscriptionLedger {
  const today = isoDate(asOf);
  const lines: ComputedLine[] = [];
  let nextDue: number | null = null;
  const later = (at: Date) => {
    if (at.getTime() > asOf.getTime() && (nextDue === null || at.getTime() < nextDue)) nextDue = at.getTime();
  };
  for (const term of termsFromEvents(events)) {
    for (const line of flatLinesOfTerm(ctx, term)) {
      if (line.on <= today) lines.push(line);
      else later(new Date(`${line.on}T00:00:00.000Z`));
    }
    lines.push(...overageLinesOfTerm(ctx, term, usage, asOf));
    const metered = term.segments.some(
      (segment) => (ctx.plan(segment.planId)?.meteringDimensions.length ?? 0) > 0,
    );
    if (ctx.pricingModel === "flatRate" && !term.freeTrial && metered) {
      for (const month of billingMonths(term)) later(month.finalAt);
    }
  }
  return { lines, nextDueAt: nextDue === null ? null : new Date(nextDue) };
}

export type { ComputedLine, LedgerContext, LedgerEvent, UsageDay };
