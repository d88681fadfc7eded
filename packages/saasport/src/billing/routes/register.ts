import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../http/context.js";
import type { BillingService } from "../service.js";
import { registerInvoiceRoutes } from "./invoices/register.js";
import { registerRevenueRoutes } from "./revenue/register.js";

/** Billing's routes under /store/v1, /partner/v1 and /operator/v1. */
export function registerBillingRoutes(app: FastifyInstance, ctx: AppContext, service: BillingService): void {
  registerInvoiceRoutes(app, ctx, service);
  registerRevenueRoutes(app, ctx, service);
}
