import { setTimeout as sleep } from "node:timers/promises";
import type { Publisher } from "../catalog/model.js";
import type { Clock } from "../clock/clock.js";
import type { LifecycleSettings } from "../config/settings.js";
import { toStored } from "../db/time.js";
import { timeOrderedId } from "../db/time-ordered-id.js";
import type { WebhookFaultSource } from "../faults/directive.js";
import type { ClaimedDelivery, FinishedAttempt } from "./delivery-store.js";
import { type CallResult, judgeAttempt } from "./retry-policy.js";
import type { CallRecord, WebhookSender } from "./sender.js";
import { signatureHeader, signatureValue } from "./signature.js";

export interface AttemptDeps {
  clock: Clock;
  lifecycle: LifecycleSettings;
  sender: WebhookSender;
  publisher(publisherId: string): Promise<Publisher | undefined>;
  token(publisher: Publisher): Promise<string>;
  signingSecrets(publisherId: string): Promise<string[]>;
  faults(): WebhookFaultSource | undefined;
  /** Keeps the lease through a long injected delay. */
  extendLease(deliveryId: string, untilMs: number): Promise<void>;
}

/** Makes one attempt at a leased delivery, obeying any injected fault, and judges its result. */
export async function attemptDelivery(
  delivery: ClaimedDelivery,
  deps: AttemptDeps,
): Promise<FinishedAttempt> {
  const attempt = delivery.attempts + 1;
  const started = deps.clock.now();
  const startedAt = toStored(started);
  const firstAttemptAt = delivery.firstAttemptAt ?? startedAt;
  const decision = await deps.faults()?.forAttempt({
    deliveryId: delivery.id,
    publisherId: delivery.publisherId,
    subscriptionId: delivery.subscriptionId,
    attempt,
  });
  const fault = decision?.fault;
  const base = {
    attemptId: timeOrderedId(),
    delivery,
    attempt,
    startedAt,
    firstAttemptAt,
    fault: decision?.label ?? null,
  };

  if (fault?.kind === "outOfOrder") {
    const now = deps.clock.now();
    return {
      ...base,
      durationMs: 0,
      statusCode: null,
      outcome: "held",
      error: `held back ${fault.holdMs} ms so that later deliveries overtake it`,
      snippet: null,
      nextAttemptAt: toStored(new Date(now.getTime() + fault.holdMs)),
      finishedAt: toStored(now),
    };
  }

  let call: CallRecord;
  if (fault?.kind === "status") {
    call = { result: { kind: "response", statusCode: fault.status }, snippet: null, durationMs: 0 };
  } else if (fault?.kind === "timeout") {
    call = { result: { kind: "timeout" }, snippet: null, durationMs: 0 };
  } else {
    if (fault?.kind === "delay") {
      await deps.extendLease(delivery.id, Date.now() + fault.ms + deps.lifecycle.webhookTimeoutMs + 5000);
      await sleep(fault.ms);
    }
    call = await callReceiver(delivery, attempt, deps);
    if (fault?.kind === "duplicate") await callReceiver(delivery, attempt, deps);
  }

  const now = deps.clock.now();
  const verdict = judgeAttempt(
    {
      result: call.result,
      action: delivery.action,
      payloadStatus: delivery.payloadStatus,
      attempt,
      firstAttemptAtMs: Date.parse(firstAttemptAt),
      nowMs: now.getTime(),
      random: Math.random(),
    },
    deps.lifecycle,
  );
  return {
    ...base,
    durationMs: call.durationMs,
    statusCode: call.result.kind === "response" ? call.result.statusCode : null,
    outcome: verdict.outcome,
    error: errorText(call.result),
    snippet: call.snippet,
    nextAttemptAt: verdict.outcome === "retry" ? toStored(new Date(now.getTime() + verdict.delayMs)) : null,
    finishedAt: toStored(now),
  };
}

async function callReceiver(
  delivery: ClaimedDelivery,
  attempt: number,
  deps: AttemptDeps,
): Promise<CallRecord> {
  let url: string;
  let headers: Record<string, string>;
  try {
    const publisher = await deps.publisher(delivery.publisherId);
    if (!publisher) return failedBeforeCall(`publisher "${delivery.publisherId}" no longer exists`);
    if (!/^https?:\/\//i.test(publisher.webhookUrl)) {
      return failedBeforeCall(`publisher "${publisher.id}" has no http(s) connection webhook URL`);
    }
    url = publisher.webhookUrl;
    const [token, secrets] = await Promise.all([deps.token(publisher), deps.signingSecrets(publisher.id)]);
    headers = {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "user-agent": "Saasport-Webhooks/1",
      "x-saasport-delivery-id": delivery.id,
      "x-saasport-event-id": delivery.eventId,
      "x-saasport-attempt": String(attempt),
    };
    if (secrets.length > 0) {
      headers[signatureHeader] = signatureValue(delivery.payload, secrets, Math.floor(Date.now() / 1000));
    }
  } catch (error) {
    return failedBeforeCall(
      `could not prepare the call: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return deps.sender.post(url, delivery.payload, headers, deps.lifecycle.webhookTimeoutMs);
}

function failedBeforeCall(error: string): CallRecord {
  return { result: { kind: "networkError", error }, snippet: null, durationMs: 0 };
}

function errorText(result: CallResult): string | null {
  if (result.kind === "timeout") return "timed out";
  if (result.kind === "networkError") return result.error;
  return null;
}
