import type { FastifyInstance } from "fastify";
import { badArgument } from "../../http/errors.js";
import { type ActivateBody, createActivator } from "../activator.js";
import { type FulfillmentDeps, isGuid, principalOf, subscriptionNotFound } from "../deps.js";

/**
 * F2: the publisher says provisioning is done. The body may be absent, `{}`, or the older
 * `{planId, quantity}`; a mismatch is ignored unless `activateBodyValidation` is `strict`. The answer is
 * `activateStatus` (200 or 202) with an empty body.
 */
export function registerActivate(app: FastifyInstance, deps: FulfillmentDeps): void {
  const activate = createActivator(deps);
  app.post<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId/activate",
    async (request, reply) => {
      const { subscriptionId } = request.params;
      if (!isGuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
      const body = readBody(request.body);
      await activate({
        subscriptionId,
        id: subscriptionId.toLowerCase(),
        principal: principalOf(request),
        body,
      });
      return reply.code(deps.settings.fidelity.activateStatus).send();
    },
  );
}

function readBody(body: unknown): ActivateBody {
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body)) {
    throw badArgument("body", 'The body must be a JSON object such as {} or {"planId":"...","quantity":1}.');
  }
  const candidate = body as ActivateBody;
  if (candidate.planId !== undefined && typeof candidate.planId !== "string") {
    throw badArgument("planId", "planId must be a string.");
  }
  if (
    candidate.quantity !== undefined &&
    candidate.quantity !== null &&
    !Number.isInteger(candidate.quantity)
  ) {
    throw badArgument("quantity", "quantity must be an integer.");
  }
  return candidate;
}
