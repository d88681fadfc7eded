import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { ApiError } from "../../../http/errors.js";
import type { requireOperator } from "../../../http/operator-auth.js";
import { answerRevenue, loadPayouts, type RevenueRouteDeps, sendPayoutsCsv } from "./answers.js";
import { OperatorPayoutQuery, OperatorPayoutsView, OperatorRevenueQuery, RevenueView } from "./schemas.js";

const docs = { tags: ["Operator: revenue and payouts"], security: [{ operatorKey: [] }] } as const;

/** Every publisher's payout statements, and any one publisher's revenue, with the operator key. */
export function registerOperatorRevenueRoutes(
  app: TypedApp,
  deps: RevenueRouteDeps,
  operatorOnly: ReturnType<typeof requireOperator>,
): void {
  const knownPublisher = async (publisherId: string | undefined) => {
    if (publisherId !== undefined && !(await deps.publisherExists(publisherId))) {
      throw new ApiError("EntityNotFound", `There is no publisher "${publisherId.slice(0, 50)}".`, {
        target: "publisherId",
      });
    }
  };

  app.get(
    "/operator/v1/payouts",
    {
      onRequest: operatorOnly,
      schema: {
        ...docs,
        summary: "Payout statements of every publisher, or of one (?format=csv for a file)",
        querystring: OperatorPayoutQuery,
        response: { 200: OperatorPayoutsView },
      },
    },
    async (request, reply) => {
      const { publisherId, ...query } = request.query;
      await knownPublisher(publisherId);
      const payouts = await loadPayouts(deps, publisherId, query);
      if (query.format === "csv") return sendPayoutsCsv(reply, deps, publisherId, payouts);
      return { storeFeePercent: deps.storeFeePercent, statements: payouts.statements };
    },
  );

  app.get(
    "/operator/v1/revenue",
    {
      onRequest: operatorOnly,
      schema: {
        ...docs,
        summary: "One publisher's revenue, as the publisher sees it at /partner/v1/revenue",
        querystring: OperatorRevenueQuery,
        response: { 200: RevenueView },
      },
    },
    async (request, reply) => {
      const { publisherId, ...query } = request.query;
      await knownPublisher(publisherId);
      return answerRevenue(reply, deps, publisherId, query);
    },
  );
}
