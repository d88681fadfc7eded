import type { FastifyInstance } from "fastify";
import { cachedCatalogReader } from "../catalog/cached-reader.js";
import { createCatalogReader } from "../catalog/repository.js";
import type { AppContext } from "../http/context.js";
import { marketplaceScope } from "../http/marketplace-scope.js";
import type { HttpModule } from "../http/module.js";
import { partnerScope } from "../http/partner-auth.js";
import type { IngestionDeps } from "./ingestion.js";
import { createUsageRepository } from "./repository.js";
import { registerPostBatchUsageEvent } from "./routes/batch-usage-event.js";
import { registerPartnerUsage } from "./routes/partner-usage.js";
import { registerPostUsageEvent } from "./routes/usage-event.js";
import { registerGetUsageEvents } from "./routes/usage-events.js";

/**
 * The Metering API (POST /api/usageEvent, POST /api/batchUsageEvent, GET /api/usageEvents) and the
 * publisher's usage report at /partner/v1/usage.
 */
export const meteringModule: HttpModule = {
  name: "metering",
  register: registerMetering,
};

async function registerMetering(app: FastifyInstance, ctx: AppContext): Promise<undefined> {
  const deps: IngestionDeps = {
    usage: createUsageRepository(ctx.db, ctx.dialect),
    catalog: cachedCatalogReader(createCatalogReader(ctx.db)),
    clocks: ctx.clocks,
    clock: ctx.clock,
  };
  await marketplaceScope(app, ctx, (scope) => {
    registerPostUsageEvent(scope, deps);
    registerPostBatchUsageEvent(scope, deps);
    registerGetUsageEvents(scope, deps);
  });
  const partnerAuth = {
    publisherAuth: ctx.publisherAuth,
    operatorKeyHash: ctx.operatorKeyHash,
    publisherExists: async (publisherId: string) =>
      (await deps.catalog.getPublisher(publisherId)) !== undefined,
  };
  await partnerScope(app, partnerAuth, (scope) => registerPartnerUsage(scope, deps.usage));
  return undefined;
}
