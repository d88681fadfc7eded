import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { DemoIsvDeps, PublisherParams } from "./deps.js";
import type { NewLogRecord } from "./log-repository.js";
import { MarketplaceCallError } from "./marketplace-client.js";
import type { PublisherApp } from "./publisher-apps.js";
import { parseObject } from "./token-client.js";
import { decideWebhook, knownActions, knownStatuses } from "./webhook-decision.js";

export const webhookBodyLimit = 64 * 1024;
const deliveryIdHeader = "x-saasport-delivery-id";

interface WebhookCall {
  id: string;
  subscriptionId: string;
  action: string;
  status: string;
}

/**
 * The publisher's webhook, written like Microsoft's SaaS Accelerator: verify the bearer token,
 * insist on JSON, record the call once per delivery, confirm the operation with Get Operation, and
 * acknowledge changes that wait for the publisher (PATCH Success) before answering.
 */
export function registerWebhookRoute(app: FastifyInstance, deps: DemoIsvDeps): void {
  app.register(async (scope) => {
    // The body is read as text whatever its type: the token is checked before the body is looked at.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
    scope.post(
      "/:publisherId/webhook",
      { bodyLimit: webhookBodyLimit },
      (request: FastifyRequest<{ Params: PublisherParams }>, reply) => handleWebhook(deps, request, reply),
    );
  });
}

async function handleWebhook(
  deps: DemoIsvDeps,
  request: FastifyRequest<{ Params: PublisherParams }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const publisher = await deps.apps(request.params.publisherId);
  if (!publisher) return answer(reply, 404, "No such publisher.");
  const now = deps.clock.now();
  const headerValue = request.headers[deliveryIdHeader];
  const deliveryId = typeof headerValue === "string" && headerValue.length <= 200 ? headerValue : undefined;
  const refuse = async (status: number, reason: string, detail: Record<string, unknown> = {}) => {
    await deps.log.add(
      {
        publisherId: publisher.publisherId,
        subscriptionId: typeof detail.subscriptionId === "string" ? detail.subscriptionId : undefined,
        kind: "webhook-refused",
        summary: `Webhook refused with ${status}: ${reason}`,
        detail: { ...detail, deliveryId: deliveryId ?? null, answer: status, reason },
      },
      now,
    );
    if (status === 401) reply.header("www-authenticate", 'Bearer error="invalid_token"');
    return answer(reply, status, reason);
  };

  const token = await deps.webhookTokens.verify(request.headers.authorization, publisher);
  if (token.outcome === "invalid")
    return refuse(401, `the bearer token is not valid (${token.reason})`, { verified: false });
  if (token.outcome === "unavailable") return refuse(503, token.reason, { verified: false });

  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json")
    return refuse(415, "the body must be sent as application/json", { verified: true });

  const call = readWebhookCall(typeof request.body === "string" ? request.body : "");
  if (typeof call === "string") return refuse(400, call, { verified: true });
  const seen = {
    subscriptionId: call.subscriptionId,
    operationId: call.id,
    action: call.action,
    payloadStatus: call.status,
    verified: true,
  };

  const mode = await deps.log.webhookMode(publisher.publisherId);
  if (mode === "fail") return refuse(503, "this app is set to fail every webhook", seen);

  const received: NewLogRecord = {
    publisherId: publisher.publisherId,
    subscriptionId: call.subscriptionId,
    kind: "webhook",
    summary: `${call.action} (${call.status}) received, token verified`,
    detail: { ...seen, deliveryId: deliveryId ?? null },
  };
  const position = deliveryId
    ? await deps.log.claimDelivery(received, deliveryId, now)
    : await deps.log.add(received, now);
  if (position === undefined) {
    await deps.log.add(
      {
        ...received,
        kind: "webhook-duplicate",
        summary: `${call.action} delivery ${deliveryId} arrived again; answered 200 without acting`,
        detail: { ...seen, deliveryId: deliveryId ?? null, answer: 200 },
      },
      now,
    );
    return answer(reply, 200, "Already received.");
  }
  return actOnOperation(deps, publisher, reply, { call, seen, position, deliveryId, mode });
}

async function actOnOperation(
  deps: DemoIsvDeps,
  publisher: PublisherApp,
  reply: FastifyReply,
  context: {
    call: WebhookCall;
    seen: Record<string, unknown>;
    position: number;
    deliveryId: string | undefined;
    mode: "accept" | "reject-changes";
  },
): Promise<FastifyReply> {
  const { call, seen, position, deliveryId, mode } = context;
  const detail = { ...seen, deliveryId: deliveryId ?? null };
  const heading = `${call.action} (${call.status}), token verified`;

  // Subscribe (auto-activation) is not an operation of the Operations API: confirm it with Get Subscription.
  if (call.action === "Subscribe") return confirmSubscribe(deps, publisher, reply, context, heading, detail);

  // "Call Get Operation before acting": the payload is a notification, the API is the truth.
  let operation: Awaited<ReturnType<DemoIsvDeps["marketplace"]["getOperation"]>>;
  try {
    operation = await deps.marketplace.getOperation(publisher, call.subscriptionId, call.id);
  } catch (error) {
    const failure = error instanceof MarketplaceCallError ? error : undefined;
    const message = failure?.message ?? "unexpected failure";
    if (failure && (failure.status === 400 || failure.status === 404)) {
      await deps.log.update(
        position,
        `${heading}; the marketplace does not know the operation (${message}); answered 400`,
        {
          ...detail,
          operationLookup: message,
          answer: 400,
        },
      );
      return answer(reply, 400, "The operation is unknown to the marketplace.");
    }
    if (!failure) deps.logger.error({ err: error }, "demo ISV webhook: Get Operation failed");
    // Not this delivery's fault: give the delivery id back so the retry is handled afresh.
    await deps.log.releaseDelivery(position, `${heading}; Get Operation failed (${message}); answered 503`, {
      ...detail,
      operationLookup: message,
      answer: 503,
    });
    return answer(reply, 503, "Could not confirm the operation; try again later.");
  }

  const decision = decideWebhook(mode, operation);
  const confirmed = {
    ...detail,
    operationStatus: operation.status,
    operationAction: operation.action,
    decision,
  };
  if (decision === "reject") {
    await deps.log.update(
      position,
      `${heading}; operation ${operation.status}; rejected (reject-changes mode); answered 400`,
      {
        ...confirmed,
        answer: 400,
      },
    );
    return answer(reply, 400, `This app does not accept ${operation.action}.`);
  }
  if (decision === "acknowledge") await acknowledge(deps, publisher, call);
  await deps.log.update(
    position,
    `${heading}; operation ${operation.status}; ${decision === "acknowledge" ? "acknowledged" : "recorded"}; answered 200`,
    { ...confirmed, answer: 200 },
  );
  return answer(reply, 200, "Received.");
}

/** A Subscribe notification is believed once Get Subscription says the subscription is Subscribed. */
async function confirmSubscribe(
  deps: DemoIsvDeps,
  publisher: PublisherApp,
  reply: FastifyReply,
  context: { call: WebhookCall; position: number },
  heading: string,
  detail: Record<string, unknown>,
): Promise<FastifyReply> {
  const { call, position } = context;
  try {
    const subscription = await deps.marketplace.getSubscription(publisher, call.subscriptionId);
    const status = subscription.status;
    await deps.log.update(position, `${heading}; subscription ${status}; recorded; answered 200`, {
      ...detail,
      subscriptionStatus: status,
      answer: 200,
    });
    return answer(reply, 200, "Received.");
  } catch (error) {
    const message = error instanceof MarketplaceCallError ? error.message : "unexpected failure";
    if (!(error instanceof MarketplaceCallError))
      deps.logger.error({ err: error }, "demo ISV webhook: Get Subscription failed");
    await deps.log.releaseDelivery(
      position,
      `${heading}; Get Subscription failed (${message}); answered 503`,
      {
        ...detail,
        subscriptionLookup: message,
        answer: 503,
      },
    );
    return answer(reply, 503, "Could not confirm the subscription; try again later.");
  }
}

/** PATCH Success from inside the webhook call; a failure is recorded, the webhook still answers 200. */
async function acknowledge(deps: DemoIsvDeps, publisher: PublisherApp, call: WebhookCall): Promise<void> {
  const now = deps.clock.now();
  const base = { publisherId: publisher.publisherId, subscriptionId: call.subscriptionId };
  try {
    await deps.marketplace.updateOperation(publisher, call.subscriptionId, call.id, "Success");
    await deps.log.add(
      {
        ...base,
        kind: "ack",
        summary: `Acknowledged ${call.action} operation with Success`,
        detail: { operationId: call.id, action: call.action },
      },
      now,
    );
  } catch (error) {
    const message = error instanceof MarketplaceCallError ? error.message : "unexpected failure";
    if (!(error instanceof MarketplaceCallError))
      deps.logger.error({ err: error }, "demo ISV webhook: ack failed");
    await deps.log.add(
      {
        ...base,
        kind: "ack-failed",
        summary: `Acknowledging ${call.action} failed: ${message}`,
        detail: {
          operationId: call.id,
          action: call.action,
          status: error instanceof MarketplaceCallError ? error.status : null,
          message,
        },
      },
      now,
    );
  }
}

/** The payload fields the app needs, or why the payload is refused (strict like the Accelerator). */
export function readWebhookCall(text: string): WebhookCall | string {
  const body = parseObject(text);
  if (!body) return "the body is not a JSON object";
  const { id, subscriptionId, action, status } = body;
  if (typeof id !== "string" || typeof subscriptionId !== "string")
    return "the body lacks the operation id or subscriptionId";
  if (typeof action !== "string" || !(knownActions as readonly string[]).includes(action))
    return `unknown action ${JSON.stringify(action ?? null)}`;
  if (typeof status !== "string" || !(knownStatuses as readonly string[]).includes(status))
    return `unknown status ${JSON.stringify(status ?? null)}`;
  return { id, subscriptionId, action, status };
}

function answer(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send({ message });
}
