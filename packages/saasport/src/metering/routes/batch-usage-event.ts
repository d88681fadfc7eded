import type { FastifyInstance } from "fastify";
import { badArgument } from "../../http/errors.js";
import { principalOf } from "../../subscriptions/deps.js";
import { type IngestionDeps, type IngestOutcome, ingestUsage } from "../ingestion.js";
import { batchFailureEntry, duplicateBody, usageEventOk } from "../wire-format.js";

export const maxBatchSize = 25;

/** M2: 1 to 25 events in `{"request":[...]}`; 200 with one result per event, in the order sent. */
export function registerPostBatchUsageEvent(app: FastifyInstance, deps: IngestionDeps): void {
  app.post("/api/batchUsageEvent", async (request) => {
    const principal = principalOf(request);
    const events = readBatch(request.body);
    const outcomes = await ingestUsage(deps, principal.publisherId, events);
    return { result: outcomes.map(batchEntry), count: outcomes.length };
  });
}

function readBatch(body: unknown): unknown[] {
  if (Array.isArray(body)) {
    throw badArgument("request", 'Send the usage events wrapped in an object: {"request":[...]}.');
  }
  const request =
    typeof body === "object" && body !== null ? (body as { request?: unknown }).request : undefined;
  if (!Array.isArray(request)) {
    throw badArgument(
      "request",
      'The body must be {"request":[...]} with 1 to 25 usage events.',
      "RequiredField",
    );
  }
  if (request.length === 0) throw badArgument("request", "The batch holds no usage events; send 1 to 25.");
  if (request.length > maxBatchSize) {
    throw badArgument(
      "request",
      `The batch holds ${request.length} usage events; at most ${maxBatchSize} may be sent at once.`,
    );
  }
  return request;
}

function batchEntry(outcome: IngestOutcome) {
  switch (outcome.kind) {
    case "accepted":
      return usageEventOk(outcome.accepted);
    case "duplicate":
      return batchFailureEntry({
        status: "Duplicate",
        messageTime: outcome.messageTime,
        sent: outcome.sent,
        error: duplicateBody(outcome.accepted),
      });
    case "rejected": {
      const first = outcome.problems[0] ?? { status: "Error", target: "usageEventRequest", message: "" };
      return batchFailureEntry({
        status: first.status,
        messageTime: outcome.messageTime,
        sent: outcome.sent,
        error: { code: first.status, message: first.message, target: first.target },
      });
    }
  }
}
