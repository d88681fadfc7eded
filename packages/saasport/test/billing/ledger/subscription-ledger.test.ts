import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../src/billing/domain/money.js";
import type { ComputedLine } from "../../../src/billing/ledger/ledger-line.js";
import {
  computeLedger,
  type LedgerEvent,
  type UsageDay,
} from "../../../src/billing/ledger/subscription-ledger.js";
import type { FrozenPrices } from "../../../src/billing/sync/term-pricer.js";
import {
  brief,
  context,
  History,
  type SimulatedStep,
  type SimulatedSubscription,
  simulate,
} from "./pure-support.js";

const desk = () =>
  new History({ planId: "desk", quantity: 10, termUnit: "P1Y", paymentOption: "monthly" })
    .purchase("2025-01-01T08:00:00.000Z")
    .activate("2025-01-01T09:00:00.000Z");

const flat = () =>
  new History({ planId: "flat", termUnit: "P1M" })
    .purchase("2025-03-01T08:00:00.000Z")
    .activate("2025-03-01T09:00:00.000Z");

const ledgerAt = (
  events: LedgerEvent[],
  asOf: string,
  usage: UsageDay[] = [],
  pricingModel: "perUser" | "flatRate" = "perUser",
) => {
  const ledger = computeLedger(context({ pricingModel }), events, usage, new Date(asOf));
  return { lines: ledger.lines.map(brief), nextDueAt: ledger.nextDueAt?.toISOString() ?? null };
};

describe("computeLedger", () => {
  it.each([
    [
      "the first instalment is due on the activation day; the next one is next due",
      "2025-01-01T09:00:00.000Z",
      [["instalment", "2025-01-01", "100.00"]],
      "2025-02-01T00:00:00.000Z",
    ],
    [
      "an instalment is due from the first instant of its day",
      "2025-02-01T00:00:00.000Z",
      [
        ["instalment", "2025-01-01", "100.00"],
        ["instalment", "2025-02-01", "100.00"],
      ],
      "2025-03-01T00:00:00.000Z",
    ],
    [
      "the last instant before a due day does not include it",
      "2025-02-28T23:59:59.999Z",
      [
        ["instalment", "2025-01-01", "100.00"],
        ["instalment", "2025-02-01", "100.00"],
      ],
      "2025-03-01T00:00:00.000Z",
    ],
  ])("%s", (_name, asOf, lines, nextDueAt) => {
    expect(ledgerAt(desk().events, asOf)).toEqual({ lines, nextDueAt });
  });

  it("(a) includes the proration lines from the change day and the new instalments as they fall due", () => {
    const events = desk().change("2025-04-10T10:00:00.000Z", { quantity: 15 }).events;
    expect(ledgerAt(events, "2025-05-01T00:00:00.000Z")).toEqual({
      lines: [
        ["instalment", "2025-01-01", "100.00"],
        ["instalment", "2025-02-01", "100.00"],
        ["instalment", "2025-03-01", "100.00"],
        ["instalment", "2025-04-01", "100.00"],
        ["prorationCredit", "2025-04-10", "-70.00"],
        ["prorationCharge", "2025-04-10", "105.00"],
        ["instalment", "2025-05-01", "150.00"],
      ],
      nextDueAt: "2025-06-01T00:00:00.000Z",
    });
  });

  it("has nothing due after the last instalment of a term that is not metered", () => {
    expect(ledgerAt(desk().events, "2025-12-15T00:00:00.000Z").nextDueAt).toBeNull();
  });

  it("is next due when a metered month's usage becomes final", () => {
    const usage = [{ planId: "flat", dimension: "api-calls", day: "2025-03-05", quantity: "1350" }];
    expect(ledgerAt(flat().events, "2025-03-10T00:00:00.000Z", usage, "flatRate")).toEqual({
      lines: [["instalment", "2025-03-01", "49.00"]],
      nextDueAt: "2025-04-02T00:00:00.000Z",
    });
    expect(ledgerAt(flat().events, "2025-04-02T00:00:00.000Z", usage, "flatRate")).toEqual({
      lines: [
        ["instalment", "2025-03-01", "49.00"],
        ["overage", "2025-04-01", "3.50"],
      ],
      nextDueAt: null,
    });
  });

  it("refunds at once on a cancellation within the window, keeps the overage, and expects no more instalments", () => {
    const events = flat().cancel("2025-03-02T10:00:00.000Z").events;
    const usage = [{ planId: "flat", dimension: "api-calls", day: "2025-03-02", quantity: "1350" }];
    expect(ledgerAt(events, "2025-03-02T10:00:00.000Z", usage, "flatRate")).toEqual({
      lines: [
        ["instalment", "2025-03-01", "49.00"],
        ["refund", "2025-03-02", "-49.00"],
      ],
      nextDueAt: "2025-04-02T00:00:00.000Z",
    });
    expect(ledgerAt(events, "2025-05-01T00:00:00.000Z", usage, "flatRate").lines).toEqual([
      ["instalment", "2025-03-01", "49.00"],
      ["refund", "2025-03-02", "-49.00"],
      ["overage", "2025-04-01", "3.50"],
    ]);
    const seats = desk().cancel("2025-01-02T10:00:00.000Z").events;
    expect(ledgerAt(seats, "2025-06-01T00:00:00.000Z")).toEqual({
      lines: [
        ["instalment", "2025-01-01", "100.00"],
        ["refund", "2025-01-02", "-100.00"],
      ],
      nextDueAt: null,
    });
  });

  it("keeps the remaining instalments due after a cancellation outside the window", () => {
    const events = desk().cancel("2025-02-10T10:00:00.000Z").events;
    const ledger = ledgerAt(events, "2025-03-01T00:00:00.000Z");
    expect(ledger.lines).toHaveLength(3);
    expect(ledger.nextDueAt).toBe("2025-04-01T00:00:00.000Z");
    expect(ledgerAt(events, "2026-01-01T00:00:00.000Z").lines).toHaveLength(12);
  });

  it("charges nothing in a free trial and charges the converted term", () => {
    const events = new History({ planId: "desk", quantity: 2, termUnit: "P1Y", paymentOption: "monthly" })
      .purchase("2025-01-10T08:00:00.000Z")
      .activate("2025-01-10T09:00:00.000Z", true)
      .newTerm("TrialConverted", "2025-02-10").events;
    expect(ledgerAt(events.slice(0, 2), "2025-02-09T23:00:00.000Z")).toEqual({ lines: [], nextDueAt: null });
    expect(ledgerAt(events, "2025-03-10T00:00:00.000Z")).toEqual({
      lines: [
        ["instalment", "2025-02-10", "20.00"],
        ["instalment", "2025-03-10", "20.00"],
      ],
      nextDueAt: "2025-04-10T00:00:00.000Z",
    });
  });

  it("charges twelve monthly terms over a year of renewals", () => {
    let history = flat();
    for (let month = 4; month <= 14; month++) {
      const date = new Date(Date.UTC(2025, month - 1, 1)).toISOString().slice(0, 10);
      history = history.renew(date);
    }
    const lines = ledgerAt(history.events, "2026-02-15T00:00:00.000Z", [], "flatRate").lines;
    expect(lines).toHaveLength(12);
    expect(lines.every(([kind, , amount]) => kind === "instalment" && amount === "49.00")).toBe(true);
    expect(lines.map(([, on]) => on).at(-1)).toBe("2026-02-01");
  });
});

const perUserPlans = ["desk", "studio"];
const flatPlans = ["flat", "flat-pro"];

const subscriptionScripts = fc
  .record({
    flatRate: fc.boolean(),
    annual: fc.boolean(),
    upfront: fc.boolean(),
    seats: fc.integer({ min: 1, max: 40 }),
    day: fc.integer({ min: 0, max: 400 }),
    hour: fc.integer({ min: 0, max: 23 }),
    steps: fc.array(
      fc.record({
        afterHours: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 24, max: 24 * 70 })),
        action: fc.oneof(
          {
            weight: 3,
            arbitrary: fc.record({
              kind: fc.constant("seats" as const),
              seats: fc.integer({ min: 1, max: 40 }),
            }),
          },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant("plan" as const), pick: fc.boolean() }) },
          {
            weight: 4,
            arbitrary: fc.record({
              kind: fc.constant("usage" as const),
              dimension: fc.constantFrom("api-calls", "storage", "exports"),
              quantity: fc.oneof(
                fc.integer({ min: 1, max: 9000 }).map(String),
                fc.constantFrom("0.5", "20.5", "1000.25"),
              ),
            }),
          },
          { weight: 1, arbitrary: fc.constant({ kind: "cancel" as const }) },
          { weight: 1, arbitrary: fc.constant({ kind: "autoRenewOff" as const }) },
          { weight: 1, arbitrary: fc.constant({ kind: "suspend" as const }) },
          { weight: 1, arbitrary: fc.constant({ kind: "reinstate" as const }) },
          { weight: 2, arbitrary: fc.constant({ kind: "wait" as const }) },
        ),
      }),
      { maxLength: 14 },
    ),
  })
  .map((draw): SimulatedSubscription => {
    const plans = draw.flatRate ? flatPlans : perUserPlans;
    return {
      planId: plans[0] as string,
      seats: draw.flatRate ? null : draw.seats,
      termUnit: draw.annual ? "P1Y" : "P1M",
      paymentOption: draw.annual && !draw.upfront ? "monthly" : "upfront",
      purchasedAt: new Date(Date.UTC(2025, 0, 1 + draw.day, draw.hour)).toISOString(),
      steps: draw.steps.map(({ afterHours, action }): SimulatedStep => {
        if (action.kind === "plan")
          return { afterHours, action: { kind: "plan", planId: plans[action.pick ? 1 : 0] as string } };
        if (action.kind === "seats") return { afterHours, action: draw.flatRate ? { kind: "wait" } : action };
        return { afterHours, action };
      }),
    };
  });

const keyed = (lines: ComputedLine[]) =>
  new Map(
    lines.map((line) => [
      line.key,
      `${line.kind} ${line.on} ${formatMoney(line.amount)} ${line.planId} ${line.quantity}`,
    ]),
  );

describe("computeLedger over a subscription's life (property)", () => {
  it("writes each line once and for good: what is due at any moment stays, unchanged, in every later ledger, and a line is due by the end of its month", () => {
    fc.assert(
      fc.property(
        subscriptionScripts,
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 5, maxLength: 12 }),
        (script, samples) => {
          const { events, usage, end } = simulate(script);
          const pricingModel = flatPlans.includes(script.planId) ? "flatRate" : "perUser";
          const frozen: FrozenPrices = {};
          const at = (moment: Date) => {
            // What the ledger can know at `moment`: the events recorded by then, and the usage of days that
            // ended at least 24 hours ago (later usage may or may not have been reported yet).
            const visible: LedgerEvent[] = [];
            for (const event of events) {
              if (Date.parse(event.occurredAt) > moment.getTime()) break;
              visible.push(event);
            }
            const known = usage.filter(
              (entry) => Date.parse(`${entry.day}T00:00:00.000Z`) + 2 * 86_400_000 <= moment.getTime(),
            );
            return computeLedger(context({ pricingModel, frozen }), visible, known, moment).lines;
          };
          const finalAt = new Date(end.getTime() + 800 * 86_400_000);
          const final = keyed(at(finalAt));
          expect(final.size).toBe(at(finalAt).length);
          const startMs = Date.parse(events[0]?.occurredAt ?? script.purchasedAt);
          // Random moments, and the instant of every event: a ledger computed between two same-day
          // changes must agree with the final one too.
          const moments = [
            ...samples.map((sample) => new Date(startMs + (sample / 10_000) * (finalAt.getTime() - startMs))),
            ...events.map((event) => new Date(event.occurredAt)),
          ].sort((a, b) => a.getTime() - b.getTime());
          let previous = new Map<string, string>();
          for (const moment of moments) {
            const now = keyed(at(moment));
            for (const [key, line] of previous)
              expect(now.get(key), `${key} at ${moment.toISOString()}`).toBe(line);
            for (const [key, line] of now)
              expect(final.get(key), `${key} at ${moment.toISOString()}`).toBe(line);
            previous = now;
          }
          // A subscription suspended past its term end renews only when it is reinstated, dated back to the
          // day after the term: the invoice run holds its account's months meanwhile (pendingTransitionMonths).
          const heldAt = (moment: Date) => {
            let last: LedgerEvent | undefined;
            for (const event of events) {
              if (Date.parse(event.occurredAt) > moment.getTime()) break;
              last = event;
            }
            const state = last?.snapshot;
            return (
              state?.status === "Suspended" &&
              state.termEnd !== null &&
              Date.parse(state.termEnd) + 86_400_000 <= moment.getTime()
            );
          };
          // On time for its invoice: every line is known at the first instant of the month after its day.
          const byMonthEnd = new Map<string, Map<string, string>>();
          for (const [key, line] of final) {
            const on = line.split(" ")[1] as string;
            const [year, month] = on.split("-").map(Number) as [number, number];
            const monthEnd = new Date(Date.UTC(year, month, 1));
            if (monthEnd.getTime() > finalAt.getTime() || heldAt(monthEnd)) continue;
            const stamp = monthEnd.toISOString();
            if (!byMonthEnd.has(stamp)) byMonthEnd.set(stamp, keyed(at(monthEnd)));
            expect(byMonthEnd.get(stamp)?.get(key), `${key} by ${stamp}`).toBe(line);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("computeLedger from a day (property)", () => {
  it("gives exactly the whole ledger's lines dated on or after the day, and the same next due moment", () => {
    fc.assert(
      fc.property(
        subscriptionScripts,
        fc.integer({ min: 0, max: 10_000 }),
        fc.nat(),
        fc.integer({ min: -3, max: 3 }),
        (script, asOfSample, pick, offsetDays) => {
          const { events, usage, end } = simulate(script);
          const pricingModel = flatPlans.includes(script.planId) ? "flatRate" : "perUser";
          const startMs = Date.parse(events[0]?.occurredAt ?? script.purchasedAt);
          const span = end.getTime() + 800 * 86_400_000 - startMs;
          const asOf = new Date(startMs + (asOfSample / 10_000) * span);
          const visible = events.filter((event) => Date.parse(event.occurredAt) <= asOf.getTime());
          const whole = computeLedger(context({ pricingModel }), visible, usage, asOf);
          // The day is taken near a line's date or an event's day, where a cut that is off by one shows.
          const days = [
            ...whole.lines.map((line) => line.on),
            ...visible.map((e) => e.occurredAt.slice(0, 10)),
          ];
          const near = days[pick % days.length] ?? script.purchasedAt.slice(0, 10);
          const from = new Date(Date.parse(`${near}T00:00:00.000Z`) + offsetDays * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const cut = computeLedger(context({ pricingModel }), visible, usage, asOf, { from });
          expect(keyed(cut.lines)).toEqual(keyed(whole.lines.filter((line) => line.on >= from)));
          expect(cut.lines.length).toBe(whole.lines.filter((line) => line.on >= from).length);
          expect(cut.nextDueAt).toEqual(whole.nextDueAt);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("leaves out the terms that end well before the day", () => {
    const history = new History({ planId: "desk", quantity: 10, termUnit: "P1M", paymentOption: "upfront" })
      .purchase("2025-01-01T08:00:00.000Z")
      .activate("2025-01-01T09:00:00.000Z")
      .renew("2025-02-01")
      .renew("2025-03-01");
    const asOf = new Date("2025-03-10T00:00:00.000Z");
    const ctx = context();
    const priced: string[] = [];
    const counting = {
      ...ctx,
      price: (request: Parameters<typeof ctx.price>[0]) => {
        priced.push(request.termStart);
        return ctx.price(request);
      },
    };
    const ledger = computeLedger(counting, history.events, [], asOf, { from: "2025-02-20" });
    expect(ledger.lines.map(brief)).toEqual([["instalment", "2025-03-01", "120.00"]]);
    // January's term ends on the 31st: nothing it dates can fall on or after February 20.
    expect([...new Set(priced)]).toEqual(["2025-02-01", "2025-03-01"]);
  });
});
