import { cachedCatalogReader } from "../catalog/cached-reader.js";
import { createCatalogReader } from "../catalog/repository.js";
import type { BackgroundWorker, HttpModule } from "../http/module.js";
import { createPollTimer } from "../http/poll-timer.js";
import { createPrivateOfferRepository } from "../private-offers/repository.js";
import { registerBillingRoutes } from "./routes/register.js";
import { createBillingService } from "./service.js";

/**
 * The billing ledger: follows every subscription's events and usage into charges, credits, refunds and
 * overage lines; issues invoices per billing account and month when a month ends on a clock; reports
 * revenue and payouts. A clock move brings the ledger and invoices up to the new time before it answers.
 */
export const billingModule: HttpModule = {
  name: "billing",
  register(app, ctx) {
    const service = createBillingService({
      db: ctx.db,
      dialect: ctx.dialect,
      clocks: ctx.clocks,
      now: () => ctx.clock.now(),
      catalog: cachedCatalogReader(createCatalogReader(ctx.db)),
      privateOffers: createPrivateOfferRepository(ctx.db),
      settings: ctx.settings.billing,
      log: ctx.log,
    });
    ctx.clockMoveListeners.push((clockName) => service.catchUp(clockName));
    registerBillingRoutes(app, ctx, service);
    const timer = createPollTimer({
      run: () => service.catchUpAll(),
      pollIntervalMs: ctx.settings.billing.pollIntervalMs,
      onError: (error) => ctx.log.error({ err: error }, "billing run failed"),
    });
    // Events wake the ledger within a quarter of a second: under load one run takes in many events,
    // instead of a run every few milliseconds competing with the requests that record them.
    const unsubscribe = ctx.signals.on("eventsRecorded", () => timer.wake(250));
    const worker: BackgroundWorker = {
      start: () => timer.start(),
      async stop() {
        unsubscribe();
        await timer.stop();
      },
      async runOnce() {
        const runs = await service.catchUpAll();
        return runs.reduce((total, run) => total + run.invoices, 0);
      },
    };
    return worker;
  },
};
