import swagger from "@fastify/swagger";
import type { HttpModule } from "../http/module.js";
import { renderDocsPage } from "./docs-page.js";
import { officialMarketplacePaths } from "./official-documents.js";

type OpenApiDocument = {
  paths?: Record<string, unknown>;
  components?: Record<string, Record<string, unknown>>;
};

/**
 * `/openapi.json` describes every surface: Microsoft's official description of /api, and Saasport's
 * own surfaces generated from their route schemas. `/docs` renders it as a page. Registered before
 * the other modules so that their routes are collected.
 */
export const openapiModule: HttpModule = {
  name: "openapi",
  async register(app, ctx) {
    await app.register(swagger, {
      openapi: {
        openapi: "3.0.3",
        info: {
          title: "Saasport",
          version: "0.1.0",
          description:
            "A self-hostable SaaS marketplace speaking the Azure Marketplace SaaS Fulfillment API v2 and Metering API.",
        },
        components: {
          securitySchemes: {
            publisherToken: {
              type: "http",
              scheme: "bearer",
              description: "Access token from /{tenant}/oauth2/token",
            },
            operatorKey: { type: "http", scheme: "bearer", description: "The operator key" },
          },
        },
      },
      hideUntagged: false,
    });
    let cached: OpenApiDocument | undefined;
    const document = (): OpenApiDocument => {
      if (cached) return cached;
      const generated = app.swagger() as OpenApiDocument;
      const official = officialMarketplacePaths();
      // Only what this server serves: official operations without a route here (yet) are left out.
      const servedOfficialPaths = Object.fromEntries(
        Object.entries(official.paths).flatMap(([path, operations]) => {
          const url = path.replace(/\{(\w+)\}/g, ":$1");
          const served = Object.fromEntries(
            Object.entries(operations).filter(([method]) =>
              app.hasRoute({ method: method.toUpperCase() as "GET", url }),
            ),
          );
          return Object.keys(served).length > 0 ? [[path, served]] : [];
        }),
      );
      const ownPaths = Object.fromEntries(
        Object.entries(generated.paths ?? {}).filter(
          ([path]) => !path.startsWith("/api/") && path !== "/openapi.json" && path !== "/docs",
        ),
      );
      cached = {
        ...generated,
        servers: [{ url: ctx.baseUrl }],
        paths: { ...servedOfficialPaths, ...ownPaths },
        components: {
          ...generated.components,
          schemas: { ...generated.components?.schemas, ...official.schemas },
        },
      } as OpenApiDocument;
      return cached;
    };
    app.get("/openapi.json", { schema: { hide: true } }, async () => document());
    app.get("/docs", { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .send(renderDocsPage(document() as Parameters<typeof renderDocsPage>[0], ctx.baseUrl)),
    );
    return undefined;
  },
};
