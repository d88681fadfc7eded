import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { sendError } from "../http/error-handler.js";
import { ApiError } from "../http/errors.js";
import { labelOf, subscriptionOfApiCall } from "./decision.js";
import type { FaultInjector } from "./injector.js";

/**
 * Applies /api faults. A preHandler on the root runs after the marketplace scope's onRequest hooks,
 * so the caller is authenticated by then (`request.publisher`) and a publisher-scoped fault can
 * match; requests refused earlier (no token, bad api-version, unknown route) are never faulted.
 * A status fault answers with the /api error body; a latency fault waits, then lets the call through.
 */
export function installApiFaults(app: FastifyInstance, injector: FaultInjector): void {
  app.addHook("preHandler", async (request, reply) => {
    if (!request.url.startsWith("/api/")) return;
    const fault = await injector.decide("api", {
      publisherId: request.publisher?.publisherId,
      subscriptionId: subscriptionOfApiCall(request.params, request.body),
    });
    if (!fault) return;
    const label = labelOf(fault.id, fault.spec);
    request.log.info({ faultId: fault.id }, `injected ${label}`);
    if (fault.spec.kind === "latency") {
      await sleep(fault.spec.delayMs ?? 0);
      return;
    }
    const status = fault.spec.status ?? 503;
    sendError(
      request,
      reply,
      new ApiError("InjectedFault", `Injected failure (Saasport ${label}).`, {
        status,
        headers: { "x-saasport-fault": fault.id },
      }),
    );
    return reply;
  });
}
