import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { installBodyParsers } from "./body-parsers.js";
import type { AppContext } from "./context.js";
import { installErrorHandling } from "./error-handler.js";
import type { HttpModule } from "./module.js";

export interface ServerOptions {
  bodyLimitBytes: number;
  https?: { key: string; cert: string } | undefined;
  logLevel: string;
}

export function createHttpServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes,
    logger: { level: options.logLevel },
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    return503OnClosing: true,
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  installBodyParsers(app);
  installErrorHandling(app);
  return app;
}

export async function registerModules(app: FastifyInstance, ctx: AppContext, modules: readonly HttpModule[]) {
  for (const module of modules) await module.register(app, ctx);
}
