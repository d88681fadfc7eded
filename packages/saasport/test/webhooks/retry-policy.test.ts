import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type AttemptFacts,
  type AttemptVerdict,
  awaitsAcknowledgement,
  type CallResult,
  judgeAttempt,
  type RetryPolicy,
  retryDelayMs,
} from "../../src/webhooks/retry-policy.js";
import { signatureValue } from "../../src/webhooks/signature.js";

const policy: RetryPolicy = {
  webhookMaxAttempts: 5,
  webhookRetryWindowMs: 60_000,
  webhookRetryInitialDelayMs: 1000,
  webhookRetryMaxDelayMs: 8000,
};

const status = (statusCode: number): CallResult => ({ kind: "response", statusCode });
const facts = (overrides: Partial<AttemptFacts>): AttemptFacts => ({
  result: status(200),
  action: "Renew",
  payloadStatus: "Succeeded",
  attempt: 1,
  firstAttemptAtMs: 0,
  nowMs: 0,
  random: 1 - Number.EPSILON,
  ...overrides,
});

describe("judgeAttempt", () => {
  const cases: Array<[string, Partial<AttemptFacts>, AttemptVerdict]> = [
    ["200 delivers", { result: status(200) }, { outcome: "delivered" }],
    ["204 delivers", { result: status(204) }, { outcome: "delivered" }],
    [
      "400 to an InProgress ChangePlan rejects it",
      { result: status(400), action: "ChangePlan", payloadStatus: "InProgress" },
      { outcome: "rejected", statusCode: 400 },
    ],
    [
      "409 to an InProgress ChangeQuantity rejects it",
      { result: status(409), action: "ChangeQuantity", payloadStatus: "InProgress" },
      { outcome: "rejected", statusCode: 409 },
    ],
    [
      "400 to a ChangePlan that is not InProgress is retried",
      { result: status(400), action: "ChangePlan", payloadStatus: "Succeeded" },
      { outcome: "retry", delayMs: 1000 },
    ],
    [
      "500 to an InProgress ChangePlan is retried, not a rejection",
      { result: status(500), action: "ChangePlan", payloadStatus: "InProgress" },
      { outcome: "retry", delayMs: 1000 },
    ],
    ["400 to a notify-only Renew is retried", { result: status(400) }, { outcome: "retry", delayMs: 1000 }],
    [
      "404 to an Unsubscribe is retried",
      { result: status(404), action: "Unsubscribe" },
      { outcome: "retry", delayMs: 1000 },
    ],
    ["503 is retried", { result: status(503) }, { outcome: "retry", delayMs: 1000 }],
    ["a 3xx is retried", { result: status(302) }, { outcome: "retry", delayMs: 1000 }],
    ["a timeout is retried", { result: { kind: "timeout" } }, { outcome: "retry", delayMs: 1000 }],
    [
      "a connection error is retried",
      { result: { kind: "networkError", error: "ECONNREFUSED" } },
      { outcome: "retry", delayMs: 1000 },
    ],
    [
      "the third failure waits four times the first",
      { result: status(503), attempt: 3 },
      { outcome: "retry", delayMs: 4000 },
    ],
    [
      "the last allowed attempt gives up",
      { result: status(503), attempt: 5, nowMs: 10_000 },
      { outcome: "gave-up" },
    ],
    [
      "a retry that would start after the window gives up",
      { result: status(503), attempt: 2, nowMs: 58_500 },
      { outcome: "gave-up" },
    ],
    [
      "a retry that starts inside the window goes ahead",
      { result: status(503), attempt: 2, nowMs: 57_000 },
      { outcome: "retry", delayMs: 2000 },
    ],
    [
      "success on the last attempt still delivers",
      { result: status(200), attempt: 5 },
      { outcome: "delivered" },
    ],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(judgeAttempt(facts(input), policy)).toEqual(expected);
  });
});

describe("retryDelayMs", () => {
  const cases: Array<[number, number, number]> = [
    // failed attempts, random, expected delay
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [2, 0.5, 1500],
    [4, 0.999999, 8000],
    [5, 0.999999, 8000],
    [40, 0, 4000],
  ];
  it.each(cases)("after %i failures with random %d waits %i ms", (failures, random, expected) => {
    expect(retryDelayMs(failures, policy, random)).toBe(expected);
  });

  it("never shrinks from one failure to the next at the same jitter", () => {
    for (const random of [0, 0.3, 0.9]) {
      const delays = [1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, policy, random));
      expect([...delays].sort((a, b) => a - b)).toEqual(delays);
    }
  });
});

describe("awaitsAcknowledgement", () => {
  it.each([
    ["ChangePlan", "InProgress", true],
    ["ChangeQuantity", "InProgress", true],
    ["Reinstate", "InProgress", false],
    ["ChangePlan", "Succeeded", false],
    ["Renew", "Succeeded", false],
  ] as const)("%s %s → %s", (action, payloadStatus, expected) => {
    expect(awaitsAcknowledgement(action, payloadStatus)).toBe(expected);
  });
});

describe("signatureValue", () => {
  const body = '{"id":"1"}';
  const hmac = (secret: string) => createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");

  it("signs <t>.<body> with one v1 entry per secret", () => {
    expect(signatureValue(body, ["new", "old"], 1_700_000_000)).toBe(
      `t=1700000000,v1=${hmac("new")},v1=${hmac("old")}`,
    );
  });

  it("carries only the timestamp without secrets", () => {
    expect(signatureValue(body, [], 1_700_000_000)).toBe("t=1700000000");
  });
});
