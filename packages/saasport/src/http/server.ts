import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { TrustProxySetting } from "../config/settings.js";
import { installBodyParsers } from "./body-parsers.js";
import type { AppContext } from "./context.js";
import { installErrorHandling } from "./error-handler.js";
import { type LazySchemaCompilers, lazySchemaCompilers } from "./lazy-schemas.js";
import type { BackgroundWorker, HttpModule } from "./module.js";
import { marketplaceRequestIds } from "./request-ids.js";
import { surfaceOf } from "./surfaces.js";

export interface ServerOptions {
  bodyLimitBytes: number;
  https?: { key: string; cert: string } | undefined;
  logLevel: string;
  /** Reverse proxies whose forwarding headers are believed; without it `request.ip` is the socket's peer. */
  trustProxy?: TrustProxySetting | undefined;
}

/**
 * Fastify's `trustProxy` for the setting. A hop count becomes a function trusting the nearest hops
 * (Fastify itself reads a bare number as trusting nobody).
 */
export function fastifyTrustProxy(
  setting: TrustProxySetting | undefined,
): FastifyServerOptions["trustProxy"] {
  if (setting === undefined || setting === false) return false;
  if (typeof setting === "number") return (_address: string, hop: number) => hop < setting;
  return setting === true ? true : [...setting];
}

type CompilersFactory = NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"];

const schemaCompilersOf = new WeakMap<FastifyInstance, LazySchemaCompilers>();

export function createHttpServer(options: ServerOptions): FastifyInstance {
  const schemaCompilers = lazySchemaCompilers();
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes,
    logger: { level: options.logLevel },
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    return503OnClosing: true,
    trustProxy: fastifyTrustProxy(options.trustProxy),
    // Fastify's types ask for Ajv's full ValidateFunction; at run time it only calls it and reads `errors`.
    schemaController: { compilersFactory: schemaCompilers as unknown as CompilersFactory },
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  schemaCompilersOf.set(app, schemaCompilers);
  installBodyParsers(app);
  installErrorHandling(app);
  installMarketplaceIds(app);
  return app;
}

/** Compiles every route schema the server has not used yet, so that a test sees any schema error. */
export function compileEverySchema(app: FastifyInstance): void {
  schemaCompilersOf.get(app)?.compileAll();
}

/** Every /api answer, including 404s and body-parse errors, carries the marketplace id headers. */
function installMarketplaceIds(app: FastifyInstance): void {
  const fulfillmentIds = marketplaceRequestIds(true);
  const meteringIds = marketplaceRequestIds(false);
  app.addHook("onRequest", async (request, reply) => {
    const surface = surfaceOf(request.url);
    if (surface === "fulfillment") await fulfillmentIds(request, reply);
    else if (surface === "metering") await meteringIds(request, reply);
  });
}

/** Registers the modules in order and returns the background workers they started. */
export async function registerModules(
  app: FastifyInstance,
  ctx: AppContext,
  modules: readonly HttpModule[],
): Promise<BackgroundWorker[]> {
  const workers: BackgroundWorker[] = [];
  for (const module of modules) {
    const worker = await module.register(app, ctx);
    if (worker) workers.push(worker);
  }
  return workers;
}
