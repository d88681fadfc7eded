import type { LifecycleSettings } from "../config/settings.js";

/** What one call to the receiver came to, before it is judged. */
export type CallResult =
  | { kind: "response"; statusCode: number }
  | { kind: "networkError"; error: string }
  | { kind: "timeout" };

export type RetryPolicy = Pick<
  LifecycleSettings,
  "webhookMaxAttempts" | "webhookRetryWindowMs" | "webhookRetryInitialDelayMs" | "webhookRetryMaxDelayMs"
>;

export type AttemptVerdict =
  | { outcome: "delivered" }
  | { outcome: "rejected"; statusCode: number }
  | { outcome: "retry"; delayMs: number }
  | { outcome: "gave-up" };

/**
 * ChangePlan and ChangeQuantity announced as InProgress wait for the publisher; a 4xx answer to them
 * is how a publisher rejects the change (spec §5). Every other delivery is notify-only.
 */
export function awaitsAcknowledgement(action: string, payloadStatus: string): boolean {
  return (action === "ChangePlan" || action === "ChangeQuantity") && payloadStatus === "InProgress";
}

/**
 * The pause before retry number `failedAttempts` (1 after the first failure): the initial delay,
 * doubled per failure, capped, then jittered into [half, whole] so that receivers coming back up are
 * not hit by every waiting delivery at once. `random` is in [0, 1).
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: number): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const base = Math.min(policy.webhookRetryInitialDelayMs * 2 ** exponent, policy.webhookRetryMaxDelayMs);
  return Math.round(base / 2 + (base / 2) * random);
}

export interface AttemptFacts {
  result: CallResult;
  action: string;
  payloadStatus: string;
  /** The number of this attempt (1 for the first). */
  attempt: number;
  /** When the delivery's first attempt started (this one's start for the first attempt). */
  firstAttemptAtMs: number;
  nowMs: number;
  /** In [0, 1), for the jitter. */
  random: number;
}

/**
 * Judges one attempt: 2xx delivers; a 4xx to a change awaiting acknowledgement rejects it; anything
 * else (network error, timeout, 5xx, other statuses, 4xx to a notify-only event) is retried until the
 * attempt budget or the retry window after the first attempt runs out.
 */
export function judgeAttempt(facts: AttemptFacts, policy: RetryPolicy): AttemptVerdict {
  const { result } = facts;
  if (result.kind === "response") {
    if (result.statusCode >= 200 && result.statusCode < 300) return { outcome: "delivered" };
    if (
      result.statusCode >= 400 &&
      result.statusCode < 500 &&
      awaitsAcknowledgement(facts.action, facts.payloadStatus)
    ) {
      return { outcome: "rejected", statusCode: result.statusCode };
    }
  }
  if (facts.attempt >= policy.webhookMaxAttempts) return { outcome: "gave-up" };
  const delayMs = retryDelayMs(facts.attempt, policy, facts.random);
  if (facts.nowMs + delayMs > facts.firstAttemptAtMs + policy.webhookRetryWindowMs) {
    return { outcome: "gave-up" };
  }
  return { outcome: "retry", delayMs };
}
