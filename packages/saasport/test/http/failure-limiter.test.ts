import { describe, expect, it } from "vitest";
import { createFailureLimiter, retryAfterSeconds } from "../../src/http/failure-limiter.js";

/** One step of a scenario: at time `at` (ms), record a failure or ask how long `key` is locked. */
type Step = { at: number; fail: string } | { at: number; ask: string; lockedFor: number };

const limitThreeInTen = { limit: 3, windowMs: 10_000 };

const scenarios: Array<{ name: string; policy?: { limit: number; windowMs: number }; steps: Step[] }> = [
  {
    name: "a key that never failed is not locked",
    steps: [{ at: 0, ask: "a", lockedFor: 0 }],
  },
  {
    name: "fewer failures than the limit lock nothing",
    steps: [
      { at: 0, fail: "a" },
      { at: 1_000, fail: "a" },
      { at: 2_000, ask: "a", lockedFor: 0 },
    ],
  },
  {
    name: "the limit-th failure locks the key for a whole window from that failure",
    steps: [
      { at: 0, fail: "a" },
      { at: 1_000, fail: "a" },
      { at: 9_000, fail: "a" },
      { at: 9_000, ask: "a", lockedFor: 10_000 },
      { at: 18_999, ask: "a", lockedFor: 1 },
      { at: 19_000, ask: "a", lockedFor: 0 },
    ],
  },
  {
    name: "failures of an ended window are forgotten",
    steps: [
      { at: 0, fail: "a" },
      { at: 1_000, fail: "a" },
      { at: 10_000, fail: "a" },
      { at: 10_000, ask: "a", lockedFor: 0 },
      { at: 11_000, fail: "a" },
      { at: 12_000, fail: "a" },
      { at: 12_000, ask: "a", lockedFor: 10_000 },
    ],
  },
  {
    name: "keys are counted apart",
    steps: [
      { at: 0, fail: "a" },
      { at: 0, fail: "a" },
      { at: 0, fail: "b" },
      { at: 0, fail: "a" },
      { at: 0, ask: "a", lockedFor: 10_000 },
      { at: 0, ask: "b", lockedFor: 0 },
    ],
  },
  {
    name: "failures racing in during a lockout do not extend it",
    steps: [
      { at: 0, fail: "a" },
      { at: 0, fail: "a" },
      { at: 0, fail: "a" },
      { at: 5_000, fail: "a" },
      { at: 5_000, ask: "a", lockedFor: 5_000 },
      { at: 10_000, ask: "a", lockedFor: 0 },
    ],
  },
  {
    name: "after a lockout the count starts again",
    steps: [
      { at: 0, fail: "a" },
      { at: 0, fail: "a" },
      { at: 0, fail: "a" },
      { at: 10_000, fail: "a" },
      { at: 10_000, fail: "a" },
      { at: 10_000, ask: "a", lockedFor: 0 },
      { at: 10_001, fail: "a" },
      { at: 10_001, ask: "a", lockedFor: 10_000 },
    ],
  },
  {
    name: "a limit of 1 locks on the first failure",
    policy: { limit: 1, windowMs: 60_000 },
    steps: [
      { at: 0, fail: "a" },
      { at: 0, ask: "a", lockedFor: 60_000 },
    ],
  },
  {
    name: "a limit of 0 never locks",
    policy: { limit: 0, windowMs: 60_000 },
    steps: [
      { at: 0, fail: "a" },
      { at: 0, fail: "a" },
      { at: 0, ask: "a", lockedFor: 0 },
    ],
  },
];

describe("failure limiter", () => {
  it.each(scenarios)("$name", ({ policy = limitThreeInTen, steps }) => {
    let time = 0;
    const limiter = createFailureLimiter({ ...policy, now: () => time });
    for (const [index, step] of steps.entries()) {
      time = step.at;
      if ("fail" in step) limiter.recordFailure(step.fail);
      else expect(limiter.lockedFor(step.ask), `step ${index}`).toBe(step.lockedFor);
    }
  });

  it("reads no clock for a key it does not track", () => {
    let reads = 0;
    const limiter = createFailureLimiter({
      ...limitThreeInTen,
      now: () => {
        reads += 1;
        return 0;
      },
    });
    limiter.lockedFor("never-failed");
    expect(reads).toBe(0);
  });

  it("tracks at most maxKeys keys and forgets the one whose last failure is oldest", () => {
    const limiter = createFailureLimiter({ limit: 2, windowMs: 10_000, maxKeys: 3, now: () => 0 });
    limiter.recordFailure("a");
    limiter.recordFailure("b");
    limiter.recordFailure("c");
    limiter.recordFailure("a"); // a is now the most recent and locked
    limiter.recordFailure("d"); // evicts b, the oldest
    expect(limiter.size).toBe(3);
    expect(limiter.lockedFor("a")).toBe(10_000);
    limiter.recordFailure("b"); // b starts again from one failure: not locked
    expect(limiter.lockedFor("b")).toBe(0);
    expect(limiter.size).toBe(3);
  });

  it("stays bounded under a flood of distinct keys", () => {
    const limiter = createFailureLimiter({ limit: 5, windowMs: 60_000, maxKeys: 100, now: () => 0 });
    for (let index = 0; index < 10_000; index += 1) limiter.recordFailure(`key-${index}`);
    expect(limiter.size).toBe(100);
  });

  it("drops a key once its window has passed without a lockout", () => {
    let time = 0;
    const limiter = createFailureLimiter({ ...limitThreeInTen, now: () => time });
    limiter.recordFailure("a");
    time = 10_000;
    expect(limiter.lockedFor("a")).toBe(0);
    expect(limiter.size).toBe(0);
  });

  it.each([
    [1, 1],
    [999, 1],
    [1_000, 1],
    [1_001, 2],
    [60_000, 60],
  ])("announces %i ms as Retry-After %i s", (milliseconds, seconds) => {
    expect(retryAfterSeconds(milliseconds)).toBe(seconds);
  });
});
