import { describe, expect, it } from "vitest";
import { type BilledTerm, termsFromEvents } from "../../../src/billing/ledger/terms.js";
import { History } from "./pure-support.js";

/** A term as the table states it: dates, trial, segments (day, plan, seats) and the cancellation. */
interface Expected {
  start: string;
  end: string;
  freeTrial?: boolean;
  segments: [on: string, planId: string, seats: number | null][];
  cancellation?: { at: string; withinRefundWindow: boolean };
}

function shape(terms: BilledTerm[]): Expected[] {
  return terms.map((term) => ({
    start: term.start,
    end: term.end,
    ...(term.freeTrial ? { freeTrial: true } : {}),
    segments: term.segments.map((segment) => [segment.on, segment.planId, segment.seats]),
    ...(term.cancellation ? { cancellation: term.cancellation } : {}),
  }));
}

const cases: [string, () => History, Expected[]][] = [
  [
    "a purchase that was never activated has no term",
    () => new History({ planId: "flat" }).purchase("2025-01-01T10:00:00.000Z"),
    [],
  ],
  [
    "activation starts a term on the activation day",
    () =>
      new History({ planId: "flat" })
        .purchase("2025-01-01T10:00:00.000Z")
        .activate("2025-01-01T11:00:00.000Z"),
    [{ start: "2025-01-01", end: "2025-01-31", segments: [["2025-01-01", "flat", null]] }],
  ],
  [
    "each renewal starts a new term; an event that changes nothing billable adds no segment",
    () =>
      new History({ planId: "flat" })
        .purchase("2025-01-31T10:00:00.000Z")
        .activate("2025-01-31T10:05:00.000Z")
        .record("AutoRenewChanged", "2025-02-10T09:00:00.000Z")
        .renew("2025-02-28")
        .renew("2025-03-28"),
    [
      { start: "2025-01-31", end: "2025-02-27", segments: [["2025-01-31", "flat", null]] },
      { start: "2025-02-28", end: "2025-03-27", segments: [["2025-02-28", "flat", null]] },
      { start: "2025-03-28", end: "2025-04-27", segments: [["2025-03-28", "flat", null]] },
    ],
  ],
  [
    "a free trial month, then the paid term from the conversion",
    () =>
      new History({ planId: "desk", quantity: 5, termUnit: "P1Y", paymentOption: "monthly" })
        .purchase("2025-01-10T08:00:00.000Z")
        .activate("2025-01-10T09:00:00.000Z", true)
        .newTerm("TrialConverted", "2025-02-10"),
    [
      { start: "2025-01-10", end: "2025-02-09", freeTrial: true, segments: [["2025-01-10", "desk", 5]] },
      { start: "2025-02-10", end: "2026-02-09", segments: [["2025-02-10", "desk", 5]] },
    ],
  ],
  [
    "leaving a trial by a plan change starts the paid term that day",
    () =>
      new History({ planId: "trial" })
        .purchase("2025-01-10T08:00:00.000Z")
        .activate("2025-01-10T09:00:00.000Z", true)
        .record("ChangePlanRequested", "2025-01-20T10:00:00.000Z")
        .newTerm("PlanChanged", "2025-01-20T10:00:10.000Z", { planId: "flat" }),
    [
      { start: "2025-01-10", end: "2025-02-09", freeTrial: true, segments: [["2025-01-10", "trial", null]] },
      { start: "2025-01-20", end: "2025-02-19", segments: [["2025-01-20", "flat", null]] },
    ],
  ],
  [
    "leaving a trial by a plan change on the trial's first day still starts a paid term",
    () =>
      new History({ planId: "trial" })
        .purchase("2025-01-10T08:00:00.000Z")
        .activate("2025-01-10T09:00:00.000Z", true)
        .newTerm("PlanChanged", "2025-01-10T15:00:00.000Z", { planId: "flat" }),
    [
      { start: "2025-01-10", end: "2025-02-09", freeTrial: true, segments: [["2025-01-10", "trial", null]] },
      { start: "2025-01-10", end: "2025-02-09", segments: [["2025-01-10", "flat", null]] },
    ],
  ],
  [
    "moving between trial plans keeps the trial term",
    () =>
      new History({ planId: "trial" })
        .purchase("2025-01-10T08:00:00.000Z")
        .activate("2025-01-10T09:00:00.000Z", true)
        .change("2025-01-15T09:00:00.000Z", { planId: "trial-plus" }),
    [
      {
        start: "2025-01-10",
        end: "2025-02-09",
        freeTrial: true,
        segments: [
          ["2025-01-10", "trial", null],
          ["2025-01-15", "trial-plus", null],
        ],
      },
    ],
  ],
  [
    "seat and plan changes are segments dated on their day, several on one day kept in order",
    () =>
      new History({ planId: "desk", quantity: 10, termUnit: "P1Y", paymentOption: "monthly" })
        .purchase("2025-01-01T08:00:00.000Z")
        .activate("2025-01-01T09:00:00.000Z")
        .record("ChangeQuantityRequested", "2025-04-10T09:00:00.000Z")
        .change("2025-04-10T09:00:05.000Z", { quantity: 15 })
        .change("2025-04-10T18:00:00.000Z", { quantity: 12 })
        .change("2025-07-01T10:00:00.000Z", { planId: "studio" }),
    [
      {
        start: "2025-01-01",
        end: "2025-12-31",
        segments: [
          ["2025-01-01", "desk", 10],
          ["2025-04-10", "desk", 15],
          ["2025-04-10", "desk", 12],
          ["2025-07-01", "studio", 12],
        ],
      },
    ],
  ],
  [
    "a change recorded after the term ended but before the renewal belongs to the renewed term",
    () =>
      new History({ planId: "flat" })
        .purchase("2025-01-01T08:00:00.000Z")
        .activate("2025-01-01T09:00:00.000Z")
        .change("2025-02-01T00:00:00.200Z", { planId: "flat-pro" })
        .renew("2025-02-01"),
    [
      { start: "2025-01-01", end: "2025-01-31", segments: [["2025-01-01", "flat", null]] },
      { start: "2025-02-01", end: "2025-02-28", segments: [["2025-02-01", "flat-pro", null]] },
    ],
  ],
  [
    "a cancellation within the refund window is attached to the term in force",
    () =>
      new History({ planId: "flat" })
        .purchase("2025-01-01T08:00:00.000Z")
        .activate("2025-01-01T09:00:00.000Z")
        .cancel("2025-01-04T07:59:59.999Z"),
    [
      {
        start: "2025-01-01",
        end: "2025-01-31",
        segments: [["2025-01-01", "flat", null]],
        cancellation: { at: "2025-01-04T07:59:59.999Z", withinRefundWindow: true },
      },
    ],
  ],
  [
    "a cancellation at the end of the refund window is outside it",
    () =>
      new History({ planId: "flat" })
        .purchase("2025-01-01T08:00:00.000Z")
        .activate("2025-01-01T09:00:00.000Z")
        .cancel("2025-01-04T08:00:00.000Z"),
    [
      {
        start: "2025-01-01",
        end: "2025-01-31",
        segments: [["2025-01-01", "flat", null]],
        cancellation: { at: "2025-01-04T08:00:00.000Z", withinRefundWindow: false },
      },
    ],
  ],
  [
    "a cancellation before activation leaves no term",
    () =>
      new History({ planId: "flat" }).purchase("2025-01-01T08:00:00.000Z").cancel("2025-01-01T09:00:00.000Z"),
    [],
  ],
  [
    "suspension and reinstatement keep the term; the grace end cancels it",
    () =>
      new History({ planId: "desk", quantity: 3, termUnit: "P1Y", paymentOption: "monthly" })
        .purchase("2025-01-01T08:00:00.000Z")
        .activate("2025-01-01T09:00:00.000Z")
        .record("Suspended", "2025-03-02T10:00:00.000Z", { status: "Suspended" })
        .record("ReinstateRequested", "2025-03-05T10:00:00.000Z")
        .record("Reinstated", "2025-03-05T10:00:10.000Z", { status: "Subscribed" })
        .record("Suspended", "2025-06-02T10:00:00.000Z", { status: "Suspended" })
        .cancel("2025-07-02T10:00:00.000Z"),
    [
      {
        start: "2025-01-01",
        end: "2025-12-31",
        segments: [["2025-01-01", "desk", 3]],
        cancellation: { at: "2025-07-02T10:00:00.000Z", withinRefundWindow: false },
      },
    ],
  ],
  [
    "the expiry the day after the term end is attached to the ended term; nothing after it counts",
    () =>
      new History({ planId: "flat" })
        .purchase("2025-01-01T08:00:00.000Z")
        .activate("2025-01-01T09:00:00.000Z")
        .cancel("2025-02-01")
        .record("Activated", "2025-03-01", { status: "Subscribed" }),
    [
      {
        start: "2025-01-01",
        end: "2025-01-31",
        segments: [["2025-01-01", "flat", null]],
        cancellation: { at: "2025-02-01T00:00:00.000Z", withinRefundWindow: false },
      },
    ],
  ],
];

describe("termsFromEvents", () => {
  it.each(cases)("%s", (_name, history, expected) => {
    expect(shape(termsFromEvents(history().events))).toEqual(expected);
  });

  it("reads the events in seq order whatever order they are given in", () => {
    const history = new History({ planId: "flat" })
      .purchase("2025-01-01T08:00:00.000Z")
      .activate("2025-01-01T09:00:00.000Z")
      .renew("2025-02-01");
    expect(termsFromEvents([...history.events].reverse())).toEqual(termsFromEvents(history.events));
  });

  it("records when each plan and seat count was chosen", () => {
    const history = new History({ planId: "desk", quantity: 10, termUnit: "P1Y", paymentOption: "monthly" })
      .purchase("2025-01-01T08:00:00.000Z")
      .activate("2025-01-01T09:00:00.000Z")
      .change("2025-04-10T09:00:05.000Z", { quantity: 15 });
    expect(termsFromEvents(history.events)[0]?.segments.map((segment) => segment.decidedAt)).toEqual([
      "2025-01-01T09:00:00.000Z",
      "2025-04-10T09:00:05.000Z",
    ]);
  });
});
