import { labelOf, webhookFaultOf } from "./decision.js";
import type { WebhookFaultSource } from "./directive.js";
import type { FaultInjector } from "./injector.js";

/** What the webhook dispatcher asks before each attempt (set as `ctx.webhookFaults`). */
export function createWebhookFaultSource(injector: FaultInjector): WebhookFaultSource {
  return {
    async forAttempt({ publisherId, subscriptionId }) {
      const fault = await injector.decide("webhook", { publisherId, subscriptionId });
      if (!fault) return undefined;
      return { fault: webhookFaultOf(fault.spec), label: labelOf(fault.id, fault.spec) };
    },
  };
}
