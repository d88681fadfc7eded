import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../http/context.js";
import type { BillingService } from "../service.js";

/** Billing's routes under /store/v1, /partner/v1 and /operator/v1. */
export function registerBillingRoutes(_app: FastifyInstance, _ctx: AppContext, _service: BillingService): void {}
