/** How the demo app answers webhooks, chosen per publisher on its dashboard. */
export const webhookModes = ["accept", "reject-changes", "fail"] as const;
export type WebhookMode = (typeof webhookModes)[number];

export const isWebhookMode = (value: unknown): value is WebhookMode =>
  typeof value === "string" && (webhookModes as readonly string[]).includes(value);

export const knownActions = [
  "Subscribe",
  "ChangePlan",
  "ChangeQuantity",
  "Unsubscribe",
  "Suspend",
  "Reinstate",
  "Renew",
] as const;
export const knownStatuses = ["NotStarted", "InProgress", "Succeeded", "Failed", "Conflict"] as const;

export type WebhookDecision =
  /** PATCH the operation with Success from inside the webhook call, then answer 200. */
  | "acknowledge"
  /** Answer 400: the publisher's way to refuse a plan or seat change. */
  | "reject"
  /** Nothing to confirm (notify-only, or already final): record it and answer 200. */
  | "record";

/**
 * What to do about a verified webhook, decided on the operation as Get Operation reports it (the
 * payload is only a hint). Only changes still InProgress wait for the publisher.
 */
export function decideWebhook(
  mode: Exclude<WebhookMode, "fail">,
  operation: { action: string; status: string },
): WebhookDecision {
  if (operation.status !== "InProgress") return "record";
  const isChange = operation.action === "ChangePlan" || operation.action === "ChangeQuantity";
  if (isChange) return mode === "reject-changes" ? "reject" : "acknowledge";
  if (operation.action === "Reinstate") return "acknowledge";
  return "record";
}
