import type { TypedApp } from "../../catalog/routes/route-kit.js";
import { ApiError } from "../../http/errors.js";
import type { requireOperator } from "../../http/operator-auth.js";
import type { DeliveryQueries } from "../deliveries-query.js";
import { deliveryFilter } from "./list-filter.js";
import { DeliveryDetail, DeliveryPage, IdParams, OperatorListQuery, operatorDocs } from "./schemas.js";

/** Every publisher's webhook deliveries, for the operator. */
export function registerOperatorDeliveryRoutes(
  app: TypedApp,
  queries: DeliveryQueries,
  operatorOnly: ReturnType<typeof requireOperator>,
): void {
  app.get(
    "/operator/v1/webhook-deliveries",
    {
      onRequest: operatorOnly,
      schema: {
        ...operatorDocs,
        summary:
          "Webhook deliveries of every publisher (or one), newest first (by creation), paged with `after`",
        querystring: OperatorListQuery,
        response: { 200: DeliveryPage },
      },
    },
    async (request) => queries.list(deliveryFilter(request.query, request.query.publisherId)),
  );

  app.get(
    "/operator/v1/webhook-deliveries/:id",
    {
      onRequest: operatorOnly,
      schema: {
        ...operatorDocs,
        summary: "One webhook delivery with its payload and every attempt",
        params: IdParams,
        response: { 200: DeliveryDetail },
      },
    },
    async (request) => {
      const detail = await queries.get(request.params.id, undefined);
      if (!detail) {
        throw new ApiError("EntityNotFound", `There is no webhook delivery "${request.params.id}".`, {
          target: "id",
        });
      }
      return detail;
    },
  );
}
