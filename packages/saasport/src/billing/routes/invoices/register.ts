import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../http/context.js";
import { createPublishedKeyStore } from "../../../identity/published-keys.js";
import { storeAuthenticator } from "../../../purchases/store-auth.js";
import type { BillingService } from "../../service.js";
import type { InvoiceRouteDeps } from "./deps.js";
import { registerOperatorFailInvoice } from "./operator-fail.js";
import { registerOperatorGetInvoice } from "./operator-get.js";
import { registerOperatorListInvoices } from "./operator-list.js";
import { registerOperatorPayInvoice } from "./operator-pay.js";
import { registerOperatorBillingRun } from "./operator-run.js";
import { registerStoreGetInvoice } from "./store-get.js";
import { registerStoreListInvoices } from "./store-list.js";

/** Invoices: a buyer's own under /store/v1, all of them (and payment marking) under /operator/v1. */
export function registerInvoiceRoutes(app: FastifyInstance, ctx: AppContext, service: BillingService): void {
  const keys = createPublishedKeyStore({ db: ctx.db, clock: ctx.clock });
  const deps: InvoiceRouteDeps = {
    db: ctx.db,
    clocks: ctx.clocks,
    service,
    operatorKeyHash: ctx.operatorKeyHash,
    authenticate: storeAuthenticator({ operatorKeyHash: ctx.operatorKeyHash, keys, clock: ctx.clock }),
    payments: {
      db: ctx.db,
      clocks: ctx.clocks,
      now: () => ctx.clock.now(),
      // Read when called: the fulfillment module sets it while the modules register.
      changeSubscription(subscriptionId, change, actor) {
        if (!ctx.marketplaceChange) throw new Error("The subscriptions module is not registered.");
        return ctx.marketplaceChange(subscriptionId, change, actor);
      },
    },
  };
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  registerStoreListInvoices(typed, deps);
  registerStoreGetInvoice(typed, deps);
  registerOperatorListInvoices(typed, deps);
  registerOperatorGetInvoice(typed, deps);
  registerOperatorPayInvoice(typed, deps);
  registerOperatorFailInvoice(typed, deps);
  registerOperatorBillingRun(typed, deps);
}
