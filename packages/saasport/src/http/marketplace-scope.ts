import type { FastifyInstance } from "fastify";
import { apiVersionCheck, mockApiVersion } from "./api-version.js";
import type { AppContext } from "./context.js";

/**
 * Registers routes of the Azure-compatible `/api` surface in a scope where every request gets the
 * api-version check and then publisher authentication (the id headers are added for all of /api by
 * the server itself, see server.ts). Calls with the mock api-version (only accepted when
 * `settings.mockApiVersion` is on) are authenticated as in no-auth mode.
 */
export async function marketplaceScope(
  app: FastifyInstance,
  ctx: Pick<AppContext, "publisherAuth" | "settings">,
  register: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook("onRequest", apiVersionCheck(ctx.settings));
    scope.addHook("onRequest", async (request) => {
      request.publisher = await ctx.publisherAuth.authenticate(
        request,
        request.apiVersion === mockApiVersion ? { noAuth: true } : undefined,
      );
    });
    register(scope);
  });
}
