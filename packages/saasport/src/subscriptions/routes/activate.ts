import type { FastifyInstance } from "fastify";
import { toStored } from "../../db/time.js";
import { ApiError, badArgument } from "../../http/errors.js";
import { activate } from "../activation.js";
import { assertOwnedBy, type FulfillmentDeps, isGuid, principalOf, subscriptionNotFound } from "../deps.js";
import { decideActivate } from "../lifecycle-rules.js";

interface ActivateBody {
  planId?: unknown;
  quantity?: unknown;
}

/**
 * F2: the publisher says provisioning is done. The body may be absent, `{}`, or the older
 * `{planId, quantity}`; a mismatch is ignored unless `activateBodyValidation` is `strict`.
 */
export function registerActivate(app: FastifyInstance, deps: FulfillmentDeps): void {
  app.post<{ Params: { subscriptionId: string } }>(
    "/api/saas/subscriptions/:subscriptionId/activate",
    async (request, reply) => {
      const { subscriptionId } = request.params;
      if (!isGuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
      const body = readBody(request.body);
      const activated = await deps.subscriptions.transaction(async (trx) => {
        const row = assertOwnedBy(
          await deps.subscriptions.getForUpdate(trx, subscriptionId.toLowerCase()),
          subscriptionId,
          principalOf(request),
        );
        if (deps.settings.fidelity.activateBodyValidation === "strict") {
          if (body.planId !== undefined && body.planId !== row.plan_id) {
            throw badArgument(
              "planId",
              `The planId ${String(body.planId)} does not match the purchased plan ${row.plan_id}.`,
            );
          }
          if (body.quantity !== undefined && row.quantity !== null && body.quantity !== row.quantity) {
            throw badArgument(
              "quantity",
              `The quantity ${String(body.quantity)} does not match the purchased ${row.quantity}.`,
            );
          }
        }
        const decision = decideActivate(row.status);
        if (!decision.ok) throw new ApiError(decision.code, decision.message, { target: "subscriptionId" });
        const now = deps.clocks.now(row.test_clock);
        if (deps.settings.fidelity.activationDelayMs > 0) {
          // Delayed activation: the request is recorded (once) and the processor completes it later.
          if (row.activation_requested_at === null) {
            await deps.subscriptions.update(trx, row.id, { activation_requested_at: toStored(now) });
          }
          return false;
        }
        return (await activate(trx, deps, row, now, toStored(now), "publisher")) !== undefined;
      });
      if (activated) deps.signals.eventsRecorded();
      return reply.code(200).send();
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
