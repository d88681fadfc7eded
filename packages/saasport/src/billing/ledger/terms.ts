import type { BillingSnapshot } from "../../subscriptions/lifecycle/snapshot.js";
import { isoDate } from "../domain/dates.js";

/** One event of a subscription's log as the ledger reads it. */
export interface LedgerEvent {
  seq: number;
  type: string;
  /** Stored instant on the subscription's clock. */
  occurredAt: string;
  snapshot: BillingSnapshot;
}

/** The plan and seats in force from `on` (ISO day) within a term; `decidedAt` is when they were chosen. */
export interface TermSegment {
  on: string;
  decidedAt: string;
  planId: string;
  seats: number | null;
}

/** One term of a subscription as its events describe it. */
export interface BilledTerm {
  /** ISO days. */
  start: string;
  end: string;
  termUnit: string;
  paymentOption: string;
  freeTrial: boolean;
  /** The first segment starts on `start`; later ones are mid-term plan or seat changes. */
  segments: TermSegment[];
  /** Set when the subscription was Unsubscribed during (or right after) this term. */
  cancellation?: { at: string; withinRefundWindow: boolean };
}

const active = new Set(["Subscribed", "Suspended"]);

/**
 * Terms from the event log: a term begins whenever an event leaves the subscription active with a term
 * start it did not have before (activation, renewal, trial conversion, leaving a trial); a plan or seat
 * difference within the same term is a change dated on the event's day; an Unsubscribed snapshot ends
 * the subscription (the cancellation is attached to the term in force).
 */
export function termsFromEvents(events: readonly LedgerEvent[]): BilledTerm[] {
  const terms: BilledTerm[] = [];
  let current: BilledTerm | undefined;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const state = event.snapshot;
    if (state.status === "Unsubscribed") {
      if (current && !current.cancellation) {
        current.cancellation = {
          at: event.occurredAt,
          withinRefundWindow:
            state.refundWindowEndsAt !== null && event.occurredAt < state.refundWindowEndsAt,
        };
      }
      break;
    }
    if (!active.has(state.status) || !state.termStart || !state.termEnd) continue;
    const start = isoDate(new Date(state.termStart));
    const end = isoDate(new Date(state.termEnd));
    // Leaving a trial on its first day keeps the start day but is a new (paid) term all the same.
    if (
      !current ||
      current.start !== start ||
      current.end !== end ||
      current.freeTrial !== state.isFreeTrial
    ) {
      current = {
        start,
        end,
        termUnit: state.termUnit,
        paymentOption: state.paymentOption,
        freeTrial: state.isFreeTrial,
        segments: [{ on: start, decidedAt: event.occurredAt, planId: state.planId, seats: state.quantity }],
      };
      terms.push(current);
      continue;
    }
    const last = current.segments.at(-1);
    const on = isoDate(new Date(event.occurredAt));
    // A change recorded after the term ended (before the scheduler applied the renewal) is not part of
    // this term: the renewal's snapshot carries it into the next one.
    if (on > current.end) continue;
    if (last && (last.planId !== state.planId || last.seats !== state.quantity)) {
      current.segments.push({
        on,
        decidedAt: event.occurredAt,
        planId: state.planId,
        seats: state.quantity,
      });
    }
  }
  return terms;
}
