import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createCatalogReader } from "../catalog/repository.js";
import type { HttpModule } from "../http/module.js";
import { createConsoleApi } from "./api-client.js";
import { registerAssetRoutes } from "./assets/routes.js";
import type { ConsoleDeps } from "./deps.js";
import { registerOperatorPages } from "./operator/register.js";
import { installPageErrors } from "./page-errors.js";
import { homePage } from "./pages/home-page.js";
import { registerPortalPages } from "./portal/register.js";
import { seeOther, sendPage } from "./responses.js";
import { sessionLoader, signedInOf, signInUrl } from "./sessions/request-session.js";
import { createSessionStore } from "./sessions/session-store.js";
import { createCredentialChecks } from "./sign-in/credentials.js";
import { createDemoProbe } from "./sign-in/demo-mode.js";
import { homeOf, registerSignInRoutes } from "./sign-in/routes.js";
import { registerBillingRoutes } from "./store/billing-routes.js";
import { registerCatalogRoutes } from "./store/catalog-routes.js";
import { shopperGuard } from "./store/guard.js";
import { registerPrivateOfferRoutes } from "./store/private-offer-routes.js";
import { registerSubscriptionRoutes } from "./store/subscription-routes.js";

/** Sessions end eight hours after sign-in. */
export const sessionLifetimeMs = 8 * 3600 * 1000;

export interface ConsoleModuleOptions {
  /** The console calls the APIs with it: to issue buyer tokens, and for publishers and the operator. */
  operatorKey: string;
}

/**
 * The web console: server-rendered pages at `/` and under `/console/`, served by Saasport itself
 * (no second server, nothing from elsewhere). It holds no business logic: every page reads and
 * changes through Saasport's own JSON APIs, called in-process with the signed-in persona's
 * credentials. Today: sign-in and the storefront; the publisher portal and operator pages come later.
 */
export function createConsoleModule(options: ConsoleModuleOptions): HttpModule {
  return {
    name: "console",
    register(app, ctx) {
      const deps: ConsoleDeps = {
        api: createConsoleApi({ app, operatorKey: options.operatorKey, clock: ctx.clock }),
        sessions: createSessionStore(ctx.db, sessionLifetimeMs),
        credentials: createCredentialChecks({
          db: ctx.db,
          catalog: createCatalogReader(ctx.db),
          operatorKeyHash: ctx.operatorKeyHash,
        }),
        clock: ctx.clock,
        settings: ctx.settings,
        isDemo: createDemoProbe(ctx.db, () => ctx.ready),
      };
      const loadSession = sessionLoader(deps);

      app.register(async (scope) => {
        hideFromApiDescription(scope);
        installPageErrors(scope, { notFound: false });
        scope.addHook("onRequest", loadSession);
        scope.get("/", async (request, reply) => {
          const signedIn = signedInOf(request);
          return sendPage(
            reply,
            200,
            homePage(signedIn, signedIn ? homeOf(signedIn.persona) : "/console/sign-in"),
          );
        });
      });

      app.register(
        async (scope) => {
          hideFromApiDescription(scope);
          installPageErrors(scope, { notFound: true });
          registerAssetRoutes(scope);
          scope.addHook("onRequest", async (request) => {
            if (!request.url.startsWith("/console/assets/")) await loadSession(request);
          });
          registerSignInRoutes(scope, deps);
          scope.get("/", consoleHome());
          await scope.register(async (store) => {
            store.addHook("preHandler", shopperGuard());
            registerCatalogRoutes(store, deps);
            registerSubscriptionRoutes(store, deps);
            registerBillingRoutes(store, deps);
            registerPrivateOfferRoutes(store, deps);
          });
          await scope.register(async (portal) => registerPortalPages(portal, deps), { prefix: "/portal" });
          await scope.register(async (operator) => registerOperatorPages(operator, deps), {
            prefix: "/operator",
          });
        },
        { prefix: "/console" },
      );
      return undefined;
    },
  };
}

/** Pages are not API operations: they stay out of /openapi.json. */
function hideFromApiDescription(scope: FastifyInstance): void {
  scope.addHook("onRoute", (route) => {
    route.schema = { ...route.schema, hide: true };
  });
}

/** `/console/`: everyone goes to their own home (storefront, portal or operator console). */
function consoleHome() {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const signedIn = signedInOf(request);
    return seeOther(reply, signedIn ? homeOf(signedIn.persona) : signInUrl(request));
  };
}
