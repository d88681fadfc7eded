import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../http/context.js";
import type { HttpModule } from "../http/module.js";
import { requireOperator } from "../http/operator-auth.js";
import { partnerScope } from "../http/partner-auth.js";
import { createCatalogReader } from "./repository.js";
import { registerCreatePublisher } from "./routes/operator/create-publisher.js";
import { registerGetCatalog } from "./routes/operator/get-catalog.js";
import { registerListPublishers } from "./routes/operator/list-publishers.js";
import { registerCreateOffer } from "./routes/partner/create-offer.js";
import { registerCreatePlan } from "./routes/partner/create-plan.js";
import { registerGetOffer } from "./routes/partner/get-offer.js";
import { registerGetPlan } from "./routes/partner/get-plan.js";
import { registerGetTechnicalConfiguration } from "./routes/partner/get-technical-configuration.js";
import { registerListOffers } from "./routes/partner/list-offers.js";
import { registerListPlans } from "./routes/partner/list-plans.js";
import { registerResumeSellPlan } from "./routes/partner/resume-sell-plan.js";
import { registerStopSellPlan } from "./routes/partner/stop-sell-plan.js";
import { registerUpdateOffer } from "./routes/partner/update-offer.js";
import { registerUpdatePlan } from "./routes/partner/update-plan.js";
import { registerUpdateTechnicalConfiguration } from "./routes/partner/update-technical-configuration.js";
import type { CatalogServiceDeps } from "./service/deps.js";

/** The Partner API for offers, plans and technical configuration, and the operator's catalog routes. */
export const catalogModule: HttpModule = {
  name: "catalog",
  register: registerCatalog,
};

async function registerCatalog(app: FastifyInstance, ctx: AppContext): Promise<undefined> {
  const deps: CatalogServiceDeps = { db: ctx.db, clock: ctx.clock, baseUrl: () => ctx.baseUrl };
  const reader = createCatalogReader(ctx.db);
  const partnerAuth = {
    publisherAuth: ctx.publisherAuth,
    operatorKeyHash: ctx.operatorKeyHash,
    publisherExists: async (publisherId: string) => (await reader.getPublisher(publisherId)) !== undefined,
  };
  await partnerScope(app, partnerAuth, (scope) => {
    const partner = scope.withTypeProvider<TypeBoxTypeProvider>();
    registerGetTechnicalConfiguration(partner, deps);
    registerUpdateTechnicalConfiguration(partner, deps);
    registerListOffers(partner, deps);
    registerCreateOffer(partner, deps);
    registerGetOffer(partner, deps);
    registerUpdateOffer(partner, deps);
    registerListPlans(partner, deps);
    registerCreatePlan(partner, deps);
    registerGetPlan(partner, deps);
    registerUpdatePlan(partner, deps);
    registerStopSellPlan(partner, deps);
    registerResumeSellPlan(partner, deps);
  });
  const operator = app.withTypeProvider<TypeBoxTypeProvider>();
  const operatorOnly = requireOperator(ctx.operatorKeyHash);
  registerGetCatalog(operator, deps, operatorOnly);
  registerListPublishers(operator, deps, operatorOnly);
  registerCreatePublisher(operator, deps, operatorOnly);
  return undefined;
}
