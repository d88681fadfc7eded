import { describe, expect, it } from "vitest";
import { timedEvent } from "../../src/clock/timed-event.js";
import type { TimedTransition } from "../../src/subscriptions/lifecycle/timers.js";

const row = { plan_id: "pro", quantity: 7 };
const termChanges = { term_start: "2025-02-15T00:00:00.000Z", term_end: "2025-03-14T00:00:00.000Z" };
const at = "2025-02-15T00:00:00.000Z";
const transition = (kind: TimedTransition["kind"]): TimedTransition => ({
  kind,
  at,
  idempotencyKey: `k:${kind}`,
});
const webhook = (action: string) => ({
  action,
  operationId: "op-1",
  status: "Succeeded",
  source: "Azure",
  planId: "pro",
  quantity: 7,
  snapshot: "after",
});

describe("the event of a timed transition", () => {
  it.each([
    ["renew", "Renew", "Renewed", termChanges, webhook("Renew")],
    ["convertTrial", "Renew", "TrialConverted", termChanges, webhook("Renew")],
    ["convertTrial", "none", "TrialConverted", termChanges, undefined],
    ["expire", "Renew", "Unsubscribed", { reason: "termEnded" }, webhook("Unsubscribe")],
    ["endGrace", "Renew", "Unsubscribed", { reason: "gracePeriodEnded" }, webhook("Unsubscribe")],
    ["expirePending", "none", "Unsubscribed", { reason: "neverActivated" }, webhook("Unsubscribe")],
  ] as const)(
    "%s (trial webhook %s) records %s",
    (kind, trialConversionWebhook, type, data, expectedWebhook) => {
      const changes =
        kind === "renew" || kind === "convertTrial" ? termChanges : { status: "Unsubscribed" as const };
      const event = timedEvent(row, transition(kind), changes, { trialConversionWebhook }, "op-1");
      const expectedData =
        "term_start" in data ? { termStartDate: data.term_start, termEndDate: data.term_end } : data;
      expect(event).toEqual({
        type,
        actor: "marketplace",
        occurredAt: at,
        idempotencyKey: `k:${kind}`,
        // The event names the operation recorded with it, when there is a webhook to look it up from.
        operationId: expectedWebhook ? "op-1" : null,
        data: expectedData,
        ...(expectedWebhook ? { webhook: expectedWebhook } : {}),
      });
    },
  );
});
