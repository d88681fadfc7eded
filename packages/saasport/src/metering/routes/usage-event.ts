import type { FastifyInstance } from "fastify";
import { ApiError } from "../../http/errors.js";
import { principalOf } from "../../subscriptions/deps.js";
import { type IngestionDeps, ingestUsage } from "../ingestion.js";
import type { Rejection } from "../usage-status.js";
import { duplicateBody, usageEventOk } from "../wire-format.js";

/** M1: one usage event. 200 accepted, 409 duplicate, 403 another publisher's resource, 400 otherwise. */
export function registerPostUsageEvent(app: FastifyInstance, deps: IngestionDeps): void {
  app.post("/api/usageEvent", async (request, reply) => {
    const principal = principalOf(request);
    const [outcome] = await ingestUsage(deps, principal.publisherId, [request.body]);
    if (!outcome) throw new ApiError("UnexpectedError");
    if (outcome.kind === "accepted") return reply.code(200).send(usageEventOk(outcome.accepted));
    if (outcome.kind === "duplicate") return reply.code(409).send(duplicateBody(outcome.accepted));
    throw singleEventError(outcome.problems);
  });
}

/**
 * A refused single event: the caller's own problem is a 400 `BadArgument` listing every problem (an
 * event outside the 24-hour window included: `Expired` exists only in batches); another publisher's
 * resource is the live 403.
 */
export function singleEventError(problems: readonly Rejection[]): ApiError {
  if (problems.some((problem) => problem.status === "ResourceNotAuthorized")) {
    return new ApiError("Forbidden", "Client is not authorized for this usage resource.");
  }
  return new ApiError("BadArgument", "One or more errors have occurred.", {
    target: "usageEventRequest",
    details: problems.map((problem) => ({
      code: problem.status === "Expired" ? "BadArgument" : problem.status,
      message: problem.message,
      target: problem.target,
    })),
  });
}
