import type { FastifyInstance } from "fastify";
import type { AppContext } from "./context.js";

/** A feature folder's contribution to the HTTP server. */
export interface HttpModule {
  name: string;
  register(app: FastifyInstance, ctx: AppContext): Promise<void> | void;
}
