import { cachedCatalogReader } from "../catalog/cached-reader.js";
import { createCatalogReader } from "../catalog/repository.js";
import type { HttpModule } from "../http/module.js";
import { registerClockRoutes } from "./routes.js";
import { createScheduler } from "./scheduler.js";

/**
 * Virtual clocks and the scheduler of time-driven transitions: renewals, trial conversions and
 * expiries fire when their subscription's clock passes their due time, whether time moved by itself
 * or an operator moved it with /operator/v1/clock.
 */
export const clockModule: HttpModule = {
  name: "clock",
  register(app, ctx) {
    const scheduler = createScheduler({
      db: ctx.db,
      dialect: ctx.dialect,
      clocks: ctx.clocks,
      clock: ctx.clock,
      settings: ctx.settings,
      signals: ctx.signals,
      catalog: cachedCatalogReader(createCatalogReader(ctx.db)),
      log: ctx.log,
    });
    registerClockRoutes(app, {
      db: ctx.db,
      clocks: ctx.clocks,
      clock: ctx.clock,
      scheduler,
      signals: ctx.signals,
      operatorKeyHash: ctx.operatorKeyHash,
      clockControl: ctx.settings.lifecycle.clockControl,
      afterMove: (name) => Promise.all(ctx.clockMoveListeners.map((listener) => listener(name))),
    });
    return scheduler;
  },
};
