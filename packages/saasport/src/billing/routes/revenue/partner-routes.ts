import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { partnerOf } from "../../../http/partner-auth.js";
import { answerRevenue, loadPayouts, type RevenueRouteDeps, sendPayoutsCsv } from "./answers.js";
import { PartnerPayoutsView, PayoutQuery, RevenueQuery, RevenueView } from "./schemas.js";

const docs = {
  tags: ["Partner: revenue and payouts"],
  security: [{ publisherToken: [] }, { operatorKey: [] }],
} as const;

/** The publisher's own revenue and payout statements, inside the /partner/v1 scope. */
export function registerPartnerRevenueRoutes(app: TypedApp, deps: RevenueRouteDeps): void {
  app.get(
    "/revenue",
    {
      schema: {
        ...docs,
        summary: "Your revenue per month, currency, offer and plan, by line kind (?format=csv for a file)",
        querystring: RevenueQuery,
        response: { 200: RevenueView },
      },
    },
    async (request, reply) => answerRevenue(reply, deps, partnerOf(request).publisherId, request.query),
  );

  app.get(
    "/payouts",
    {
      schema: {
        ...docs,
        summary: "Your monthly payout statements: collected, store fee and payout (?format=csv for a file)",
        querystring: PayoutQuery,
        response: { 200: PartnerPayoutsView },
      },
    },
    async (request, reply) => {
      const { publisherId } = partnerOf(request);
      const payouts = await loadPayouts(deps, publisherId, request.query);
      if (request.query.format === "csv") return sendPayoutsCsv(reply, deps, publisherId, payouts);
      return {
        publisherId,
        storeFeePercent: deps.storeFeePercent,
        statements: payouts.statements.map(({ publisherId: _publisherId, ...statement }) => statement),
      };
    },
  );
}
