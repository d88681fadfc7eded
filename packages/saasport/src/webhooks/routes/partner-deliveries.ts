import type { TypedApp } from "../../catalog/routes/route-kit.js";
import type { Clock } from "../../clock/clock.js";
import { toStored } from "../../db/time.js";
import { ApiError } from "../../http/errors.js";
import { partnerOf } from "../../http/partner-auth.js";
import type { DeliveryQueries } from "../deliveries-query.js";
import { deliveryFilter } from "./list-filter.js";
import {
  DeliveryDetail,
  DeliveryPage,
  DeliveryView,
  IdParams,
  PartnerListQuery,
  partnerDocs,
} from "./schemas.js";

export interface PartnerDeliveryDeps {
  queries: DeliveryQueries;
  clock: Clock;
  /** Wakes the dispatcher after a redelivery was queued. */
  deliveriesQueued(): void;
}

function notFound(id: string): ApiError {
  return new ApiError("EntityNotFound", `There is no webhook delivery "${id}".`, { target: "id" });
}

/** The publisher's own webhook deliveries: the delivery log, one delivery with its attempts, redelivery. */
export function registerPartnerDeliveryRoutes(app: TypedApp, deps: PartnerDeliveryDeps): void {
  app.get(
    "/webhook-deliveries",
    {
      schema: {
        ...partnerDocs,
        summary: "The publisher's webhook deliveries, newest first (by creation), paged with `after`",
        querystring: PartnerListQuery,
        response: { 200: DeliveryPage },
      },
    },
    async (request) => deps.queries.list(deliveryFilter(request.query, partnerOf(request).publisherId)),
  );

  app.get(
    "/webhook-deliveries/:id",
    {
      schema: {
        ...partnerDocs,
        summary: "One webhook delivery with its payload and every attempt",
        params: IdParams,
        response: { 200: DeliveryDetail },
      },
    },
    async (request) => {
      const detail = await deps.queries.get(request.params.id, partnerOf(request).publisherId);
      if (!detail) throw notFound(request.params.id);
      return detail;
    },
  );

  app.post(
    "/webhook-deliveries/:id/redeliver",
    {
      schema: {
        ...partnerDocs,
        summary: "Queues a delivery again (a new delivery id, the same event, payload and sequence number)",
        params: IdParams,
        response: { 202: DeliveryView },
      },
    },
    async (request, reply) => {
      const queued = await deps.queries.redeliver(
        request.params.id,
        partnerOf(request).publisherId,
        toStored(deps.clock.now()),
      );
      if (!queued) throw notFound(request.params.id);
      deps.deliveriesQueued();
      return reply.code(202).send(queued);
    },
  );
}
