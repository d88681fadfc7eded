import type { HttpModule } from "../http/module.js";
import { installApiFaults } from "./api-faults.js";
import { createFaultInjector } from "./injector.js";
import { registerFaultRoutes } from "./routes.js";
import { createFaultStore } from "./store.js";
import { createWebhookFaultSource } from "./webhook-source.js";

/**
 * Fault injection for ISV testing: failing, slow, late, doubled or reordered webhook deliveries and
 * failing or slow /api calls, set through /operator/v1/faults. Registered before the fulfillment
 * module so its /api hook covers the marketplace routes.
 */
export const faultsModule: HttpModule = {
  name: "faults",
  register(app, ctx) {
    const store = createFaultStore(ctx.db);
    const injector = createFaultInjector(store);
    ctx.webhookFaults = createWebhookFaultSource(injector);
    installApiFaults(app, injector);
    registerFaultRoutes(app, {
      db: ctx.db,
      store,
      injector,
      clock: ctx.clock,
      operatorKeyHash: ctx.operatorKeyHash,
    });
    return undefined;
  },
};
