import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { cachedCatalogReader } from "../../../catalog/cached-reader.js";
import { createCatalogReader } from "../../../catalog/repository.js";
import type { AppContext } from "../../../http/context.js";
import { requireOperator } from "../../../http/operator-auth.js";
import { authenticatePartner } from "../../../http/partner-auth.js";
import type { BillingService } from "../../service.js";
import type { RevenueRouteDeps } from "./answers.js";
import { registerOperatorRevenueRoutes } from "./operator-routes.js";
import { registerPartnerRevenueRoutes } from "./partner-routes.js";

/** Revenue and payout statements: a publisher's own under /partner/v1, every publisher's under /operator/v1. */
export function registerRevenueRoutes(app: FastifyInstance, ctx: AppContext, _service: BillingService): void {
  const catalog = cachedCatalogReader(createCatalogReader(ctx.db));
  const publisherExists = async (publisherId: string) =>
    (await catalog.getPublisher(publisherId)) !== undefined;
  const deps: RevenueRouteDeps = {
    db: ctx.db,
    storeFeePercent: ctx.settings.billing.storeFeePercent,
    publisherExists,
  };
  const partnerAuth = {
    publisherAuth: ctx.publisherAuth,
    operatorKeyHash: ctx.operatorKeyHash,
    publisherExists,
  };
  // The same scope as `partnerScope` builds; registered without awaiting, as this registration is synchronous.
  app.register(
    async (scope) => {
      scope.addHook("onRequest", async (request) => {
        request.partner = await authenticatePartner(request, partnerAuth);
      });
      registerPartnerRevenueRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), deps);
    },
    { prefix: "/partner/v1" },
  );
  registerOperatorRevenueRoutes(
    app.withTypeProvider<TypeBoxTypeProvider>(),
    deps,
    requireOperator(ctx.operatorKeyHash),
  );
}
