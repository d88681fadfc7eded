import type { FastifyInstance } from "fastify";
import type { AppContext } from "./context.js";

/** Work a module keeps doing in the background (for example, carrying operations forward). */
export interface BackgroundWorker {
  start(): void;
  stop(): Promise<void>;
  /** Does all work that is due now and resolves when it is done (tests and clock moves use it). */
  runOnce(): Promise<number>;
}

/** A feature folder's contribution to the HTTP server. */
export interface HttpModule {
  name: string;
  register(
    app: FastifyInstance,
    ctx: AppContext,
  ): Promise<BackgroundWorker | undefined> | BackgroundWorker | undefined;
}
