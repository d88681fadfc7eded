import type { FastifyInstance } from "fastify";
import { requireApiVersion } from "./api-version.js";
import type { AppContext } from "./context.js";

/**
 * Registers routes of the Azure-compatible `/api` surface in a scope where every request gets the
 * api-version check and then publisher authentication (the id headers are added for all of /api by
 * the server itself, see server.ts).
 */
export async function marketplaceScope(
  app: FastifyInstance,
  ctx: Pick<AppContext, "publisherAuth">,
  register: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook("onRequest", requireApiVersion);
    scope.addHook("onRequest", async (request) => {
      request.publisher = await ctx.publisherAuth.authenticate(request);
    });
    register(scope);
  });
}
