import type { FastifyError } from "fastify";
import { toApiError } from "../http/error-handler.js";
import type { HttpModule } from "../http/module.js";
import { registerDashboardRoutes } from "./dashboard-routes.js";
import type { DemoIsvDeps } from "./deps.js";
import { createFormTokens } from "./form-tokens.js";
import { createHttpClient, saasportCertificate } from "./http-client.js";
import { registerLandingRoutes } from "./landing-routes.js";
import { createDemoIsvLog } from "./log-repository.js";
import { createMarketplaceClient } from "./marketplace-client.js";
import { messagePage } from "./pages/message-page.js";
import { demoPublisherApps } from "./publisher-apps.js";
import { sendPage } from "./responses.js";
import { createTokenClient } from "./token-client.js";
import { registerWebhookRoute } from "./webhook-route.js";
import { createWebhookTokenVerifier } from "./webhook-token.js";

const formTokenLifetimeMs = 24 * 3600 * 1000;

/**
 * The demo ISV app under /demo-isv/{publisherId}/: the landing page and webhook of the demo catalog's
 * publishers. It knows Saasport only through its public protocol: tokens from the token endpoint,
 * the Fulfillment API over HTTP, webhook tokens checked against the published keys.
 */
export const demoIsvModule: HttpModule = {
  name: "demo-isv",
  register(app, ctx) {
    // The base URL is known only once the server listens: read it on every call.
    const baseUrl = () => ctx.baseUrl;
    const http = createHttpClient({
      timeoutMs: 15_000,
      maxAnswerBytes: 1024 * 1024,
      trustedCertificates: saasportCertificate(ctx.settings.dataDir),
    });
    const tokens = createTokenClient({ http, clock: ctx.clock, baseUrl });
    const deps: DemoIsvDeps = {
      apps: demoPublisherApps(),
      marketplace: createMarketplaceClient({ http, tokens, baseUrl }),
      webhookTokens: createWebhookTokenVerifier({ http, clock: ctx.clock, baseUrl }),
      log: createDemoIsvLog(ctx.db),
      forms: createFormTokens(formTokenLifetimeMs),
      clock: ctx.clock,
      logger: ctx.log,
    };
    app.register(
      async (scope) => {
        scope.setErrorHandler((error: FastifyError, request, reply) => {
          const apiError = toApiError(error);
          // Anything that is not the caller's fault is answered 503: the demo app is in trouble, try later.
          const status = apiError.status >= 500 ? 503 : apiError.status;
          if (status === 503) request.log.error({ err: error }, "demo ISV app request failed");
          if (request.url.split("?")[0]?.endsWith("/webhook")) {
            return reply
              .code(status)
              .type("application/json; charset=utf-8")
              .send({ message: apiError.message });
          }
          return sendPage(
            reply,
            status,
            messagePage({ title: "Something went wrong" }, "error", apiError.message),
          );
        });
        scope.setNotFoundHandler((_request, reply) =>
          sendPage(
            reply,
            404,
            messagePage({ title: "Not found" }, "error", "There is no such page in the demo app."),
          ),
        );
        registerLandingRoutes(scope, deps);
        registerDashboardRoutes(scope, deps);
        registerWebhookRoute(scope, deps);
      },
      { prefix: "/demo-isv" },
    );
    return undefined;
  },
};
