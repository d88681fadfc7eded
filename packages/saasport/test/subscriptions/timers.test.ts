import { describe, expect, it } from "vitest";
import { operationConflict } from "../../src/subscriptions/lifecycle/operations.js";
import {
  activationTimers,
  nextTimedTransition,
  type TimedTransition,
  timedChanges,
} from "../../src/subscriptions/lifecycle/timers.js";

type TimerRow = Parameters<typeof nextTimedTransition>[0];

const policy = { gracePeriodDays: 30, pendingExpiryDays: 0 };
const base: TimerRow = {
  id: "s1",
  status: "Subscribed",
  is_free_trial: 0,
  auto_renew: 1,
  term_end: "2026-02-27T00:00:00.000Z",
  trial_ends_at: null,
  suspended_at: null,
  created_at: "2026-01-28T09:30:00.000Z",
};

describe("the next timed transition (spec §6.2)", () => {
  const cases: Array<
    [string, Partial<typeof base> & Record<string, unknown>, Partial<TimedTransition> | undefined]
  > = [
    ["T5 renews the day after endDate", {}, { kind: "renew", at: "2026-02-28T00:00:00.000Z" }],
    [
      "T9 ends at term end when auto-renew is off",
      { auto_renew: 0 },
      { kind: "expire", at: "2026-02-28T00:00:00.000Z" },
    ],
    [
      "T10 converts a trial when its month ends",
      { is_free_trial: 1, trial_ends_at: "2026-02-28T00:00:00.000Z" },
      { kind: "convertTrial", at: "2026-02-28T00:00:00.000Z", idempotencyKey: "trial-conversion:s1" },
    ],
    [
      "a trial with auto-renew off ends with the trial",
      { is_free_trial: 1, auto_renew: 0, trial_ends_at: "2026-02-28T00:00:00.000Z" },
      { kind: "expire", at: "2026-02-28T00:00:00.000Z" },
    ],
    [
      "T8 ends a suspension after the grace period",
      { status: "Suspended", suspended_at: "2026-02-01T12:00:00.000Z" },
      { kind: "endGrace", at: "2026-03-03T12:00:00.000Z" },
    ],
    ["a pending purchase never expires by default", { status: "PendingFulfillmentStart" }, undefined],
    ["nothing happens to an unsubscribed subscription", { status: "Unsubscribed" }, undefined],
    ["a subscription without a term has no timer", { term_end: null }, undefined],
  ];
  it.each(cases)("%s", (_name, changes, expected) => {
    const transition = nextTimedTransition({ ...base, ...changes }, policy);
    if (expected === undefined) expect(transition).toBeUndefined();
    else expect(transition).toMatchObject(expected);
  });

  it("T3 expires a never-activated purchase when configured", () => {
    const transition = nextTimedTransition(
      { ...base, status: "PendingFulfillmentStart" },
      { gracePeriodDays: 30, pendingExpiryDays: 14 },
    );
    expect(transition).toMatchObject({ kind: "expirePending", at: "2026-02-11T09:30:00.000Z" });
  });

  it("gives every renewal its own idempotency key and the same key for the same renewal", () => {
    const first = nextTimedTransition(base, policy);
    const again = nextTimedTransition({ ...base }, policy);
    const next = nextTimedTransition({ ...base, term_end: "2026-03-27T00:00:00.000Z" }, policy);
    expect(first?.idempotencyKey).toBe(again?.idempotencyKey);
    expect(first?.idempotencyKey).not.toBe(next?.idempotencyKey);
  });
});

describe("what a timed transition changes", () => {
  const at = "2026-01-31T00:00:00.000Z";
  it.each([
    ["renew", "P1M", { term_start: at, term_end: "2026-02-27T00:00:00.000Z" }],
    ["renew", "P1Y", { term_start: at, term_end: "2027-01-30T00:00:00.000Z" }],
    [
      "convertTrial",
      "P1M",
      { term_start: at, term_end: "2026-02-27T00:00:00.000Z", is_free_trial: 0, trial_ends_at: null },
    ],
    ["expire", "P1M", { status: "Unsubscribed", unsubscribed_at: at }],
    ["endGrace", "P1Y", { status: "Unsubscribed", unsubscribed_at: at }],
  ] as const)("%s on a %s term", (kind, termUnit, expected) => {
    expect(timedChanges({ term_unit: termUnit }, { kind, at, idempotencyKey: "k" })).toMatchObject(expected);
  });

  it("activation starts a trial month, or the plan's term", () => {
    const activatedAt = new Date("2026-01-31T15:00:00.000Z");
    expect(activationTimers({ term_unit: "P1Y", is_free_trial: 1 }, activatedAt)).toEqual({
      term_start: "2026-01-31T00:00:00.000Z",
      term_end: "2026-02-27T00:00:00.000Z",
      trial_ends_at: "2026-02-28T00:00:00.000Z",
    });
    expect(activationTimers({ term_unit: "P1Y", is_free_trial: 0 }, activatedAt)).toEqual({
      term_start: "2026-01-31T00:00:00.000Z",
      term_end: "2027-01-30T00:00:00.000Z",
      trial_ends_at: null,
    });
  });
});

describe("whether an operation still applies when it completes", () => {
  it.each([
    ["ChangePlan", "Subscribed", "pro", 1, undefined],
    ["ChangePlan", "Subscribed", "basic", 1, "Conflict"],
    ["ChangeQuantity", "Subscribed", "basic", 5, "Conflict"],
    ["ChangeQuantity", "Suspended", "basic", 6, "Failed"],
    ["Reinstate", "Suspended", "basic", 5, undefined],
    ["Reinstate", "Unsubscribed", "basic", 5, "Failed"],
    ["Unsubscribe", "Unsubscribed", "basic", 5, "Failed"],
    ["Unsubscribe", "PendingFulfillmentStart", "basic", 5, undefined],
  ] as const)(
    "%s on a %s subscription (target plan %s, seats %s) → %s",
    (action, status, planId, quantity, expected) => {
      const result = operationConflict(
        { action, plan_id: planId, quantity },
        { status, plan_id: "basic", quantity: 5 },
      );
      expect(result?.status).toBe(expected);
    },
  );
});
