/** What an injected fault does to one webhook delivery attempt. */
export type WebhookFault =
  /** Do not call the receiver; record the attempt as if it had answered this status. */
  | { kind: "status"; status: number }
  /** Do not call the receiver; record the attempt as a timeout. */
  | { kind: "timeout" }
  /** Call the receiver after waiting this long. */
  | { kind: "delay"; ms: number }
  /** Call the receiver twice with the same delivery id. */
  | { kind: "duplicate" }
  /** Hold this delivery back for this long and let later deliveries of its subscription overtake it. */
  | { kind: "outOfOrder"; holdMs: number };

export interface WebhookFaultDecision {
  fault: WebhookFault;
  /** Which configured fault decided it, for the delivery log (e.g. `fault 3f2a…: status 503`). */
  label: string;
}

/** Asked by the dispatcher before each attempt; answers undefined when no fault applies. */
export interface WebhookFaultSource {
  forAttempt(attempt: {
    deliveryId: string;
    publisherId: string;
    subscriptionId: string;
    attempt: number;
  }): Promise<WebhookFaultDecision | undefined>;
}
