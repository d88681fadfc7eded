import type { WebhookDeliveryStatus } from "../../db/tables.js";
import { badArgument } from "../../http/errors.js";
import { type DeliveryFilter, decodeCursor } from "../deliveries-query.js";

export interface ListQuery {
  subscriptionId?: string;
  status?: WebhookDeliveryStatus;
  limit?: number;
  after?: string;
}

/** The listing filter of a validated query; an `after` that is not a cursor of this listing is a 400. */
export function deliveryFilter(query: ListQuery, publisherId: string | undefined): DeliveryFilter {
  const after = query.after === undefined ? undefined : decodeCursor(query.after);
  if (query.after !== undefined && after === undefined) {
    throw badArgument("query.after", "after must be the `next` value of a previous page.");
  }
  return {
    publisherId,
    subscriptionId: query.subscriptionId,
    status: query.status,
    limit: query.limit ?? 50,
    after,
  };
}
