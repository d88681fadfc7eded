import type { SubscriptionTable } from "../db/tables.js";

/**
 * `reconStatus` of a daily aggregate. Saasport has no separate analytics pipeline that could disagree
 * with what was submitted, so the model is: a day still running on the subscription's clock is
 * `Submitted` (usage may still arrive for it); a finished day is `Accepted` (processed = submitted).
 * Usage of test purchases (`isTest`) is `TestHeaders` and of DryRun sessions `DryRun`, as the live
 * service labels them; those are never processed. `Rejected` and `Mismatch` are never produced.
 */
export const reconStatuses = [
  "Submitted",
  "Accepted",
  "Rejected",
  "Mismatch",
  "TestHeaders",
  "DryRun",
] as const;
export type ReconStatus = (typeof reconStatuses)[number];

const dayMs = 86_400_000;

export function reconStatusOf(
  subscription: Pick<SubscriptionTable, "is_test" | "session_mode">,
  usageDay: Date,
  now: Date,
): ReconStatus {
  if (subscription.session_mode === "DryRun") return "DryRun";
  if (subscription.is_test === 1) return "TestHeaders";
  return usageDay.getTime() + dayMs > now.getTime() ? "Submitted" : "Accepted";
}

export function isReconStatus(value: string): value is ReconStatus {
  return (reconStatuses as readonly string[]).includes(value);
}

/** Only a processed day has a processed quantity. */
export function isProcessed(status: ReconStatus): boolean {
  return status === "Accepted";
}
