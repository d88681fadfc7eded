import type { FastifyInstance } from "fastify";
import { cachedCatalogReader } from "../catalog/cached-reader.js";
import { createCatalogReader } from "../catalog/repository.js";
import type { AppContext } from "../http/context.js";
import { marketplaceScope } from "../http/marketplace-scope.js";
import type { HttpModule } from "../http/module.js";
import { createPublishedKeyStore } from "../identity/published-keys.js";
import { storeAuthenticator } from "../purchases/store-auth.js";
import type { FulfillmentDeps } from "./deps.js";
import { createOperationDeliveryListener } from "./lifecycle/delivery-listener.js";
import { applyMarketplaceChange } from "./marketplace-actions.js";
import { registerMarketplaceRoutes } from "./marketplace-routes.js";
import { createOperationProcessor, type OperationProcessor } from "./operation-processor.js";
import { registerPartnerSubscriptionList } from "./partner-list-route.js";
import { createSubscriptionRepository } from "./repository.js";
import { registerActivate } from "./routes/activate.js";
import { registerDeleteSubscription } from "./routes/delete-subscription.js";
import { registerGetOperation } from "./routes/get-operation.js";
import { registerGetSubscription } from "./routes/get-subscription.js";
import { registerListAvailablePlans } from "./routes/list-available-plans.js";
import { registerListOperations } from "./routes/list-operations.js";
import { registerListSubscriptions } from "./routes/list-subscriptions.js";
import { registerResolve } from "./routes/resolve.js";
import { registerUpdateOperation } from "./routes/update-operation.js";
import { registerUpdateSubscription } from "./routes/update-subscription.js";

/** The Fulfillment API v2 and Operations API: all ten endpoints under /api/saas/subscriptions. */
export const fulfillmentModule: HttpModule = {
  name: "fulfillment",
  register: registerFulfillment,
};

async function registerFulfillment(app: FastifyInstance, ctx: AppContext): Promise<OperationProcessor> {
  const subscriptions = createSubscriptionRepository(ctx.db, ctx.dialect);
  const catalog = cachedCatalogReader(createCatalogReader(ctx.db));
  const processor = createOperationProcessor({
    subscriptions,
    catalog,
    clock: ctx.clock,
    clocks: ctx.clocks,
    settings: ctx.settings,
    signals: ctx.signals,
    log: ctx.log,
  });
  const deps: FulfillmentDeps = {
    db: ctx.db,
    dialect: ctx.dialect,
    subscriptions,
    catalog,
    settings: ctx.settings,
    clock: ctx.clock,
    clocks: ctx.clocks,
    signals: ctx.signals,
    processor,
    log: ctx.log,
    baseUrl: () => ctx.baseUrl,
  };
  ctx.deliveryListeners.push(createOperationDeliveryListener(deps));
  ctx.marketplaceChange = (subscriptionId, change, actor) =>
    applyMarketplaceChange(deps, subscriptionId, change, actor);
  const keys = createPublishedKeyStore({ db: ctx.db, clock: ctx.clock });
  registerMarketplaceRoutes(app, deps, {
    authenticate: storeAuthenticator({ operatorKeyHash: ctx.operatorKeyHash, keys, clock: ctx.clock }),
    operatorKeyHash: ctx.operatorKeyHash,
  });
  await registerPartnerSubscriptionList(app, ctx, deps);
  await marketplaceScope(app, ctx, (scope) => {
    registerResolve(scope, deps);
    registerListSubscriptions(scope, deps);
    registerGetSubscription(scope, deps);
    registerListAvailablePlans(scope, deps);
    registerActivate(scope, deps);
    registerUpdateSubscription(scope, deps);
    registerDeleteSubscription(scope, deps);
    registerListOperations(scope, deps);
    registerGetOperation(scope, deps);
    registerUpdateOperation(scope, deps);
  });
  return processor;
}
