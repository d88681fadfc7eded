import type { Updateable } from "kysely";
import type { TermUnit } from "../catalog/model.js";
import type { SubscriptionTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { termDates } from "./term-dates.js";

/** The change that activates a subscription: Subscribed, with the term starting on the activation day. */
export function activationChanges(
  requestedAt: Date,
  termUnit: string,
  now: Date,
): Updateable<SubscriptionTable> {
  const { startDate, endDate } = termDates(requestedAt, termUnit as TermUnit);
  return {
    status: "Subscribed",
    term_start: toStored(startDate),
    term_end: toStored(endDate),
    activated_at: toStored(requestedAt),
    updated_at: toStored(now),
  };
}
