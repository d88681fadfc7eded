import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html } from "../http/html.js";
import { type DemoIsvDeps, frameFor, type PublisherParams } from "./deps.js";
import { formField, refuseForm } from "./form-posts.js";
import { bindings } from "./form-tokens.js";
import { MarketplaceCallError } from "./marketplace-client.js";
import { messagePage } from "./pages/message-page.js";
import { subscriptionPage } from "./pages/subscription-page.js";
import type { PublisherApp } from "./publisher-apps.js";
import { publisherOr404 } from "./publisher-lookup.js";
import { describeFailure, guidPattern, pageStatusFor, sendPage } from "./responses.js";

type SubscriptionParams = PublisherParams & { subscriptionId: string };

const formBodyLimit = 8 * 1024;
const maxTokenLength = 4096;

/** The landing page, the Activate form and the subscription page it leads to. */
export function registerLandingRoutes(app: FastifyInstance, deps: DemoIsvDeps): void {
  app.get(
    "/:publisherId/landing",
    async (
      request: FastifyRequest<{ Params: PublisherParams; Querystring: Record<string, unknown> }>,
      reply,
    ) => {
      const publisher = await publisherOr404(deps, request.params.publisherId, reply);
      if (!publisher) return reply;
      const token = request.query.token;
      if (typeof token !== "string" || token.trim() === "" || token.length > maxTokenLength) {
        return sendPage(
          reply,
          400,
          messagePage(
            frameFor(publisher, "This link is incomplete"),
            "error",
            "The marketplace sends buyers here with a purchase token (?token=…), and this link has none. Open the subscription in the marketplace and choose to configure it again.",
          ),
        );
      }
      const now = deps.clock.now();
      try {
        const subscriptionId = await deps.marketplace.resolve(publisher, token);
        const subscription = await deps.marketplace.getSubscription(publisher, subscriptionId);
        await deps.log.add(
          {
            publisherId: publisher.publisherId,
            subscriptionId,
            kind: "landing",
            summary: `Buyer landed: ${subscription.offerId} / ${subscription.planId}, ${subscription.status}`,
            detail: {
              offerId: subscription.offerId,
              planId: subscription.planId,
              status: subscription.status,
            },
          },
          now,
        );
        const pending = subscription.status === "PendingFulfillmentStart";
        return sendPage(
          reply,
          200,
          subscriptionPage(
            frameFor(publisher, pending ? "Welcome! Activate your subscription" : "Your subscription"),
            {
              subscription,
              activation: pending
                ? {
                    action: activatePath(publisher, subscriptionId),
                    csrf: deps.forms.issue(bindings.activate(publisher.publisherId, subscriptionId), now),
                  }
                : undefined,
            },
          ),
        );
      } catch (error) {
        return failedPage(deps, publisher, reply, error, {
          kind: "landing-failed",
          title: "We could not open this purchase",
          hint: "If the link is old, open the subscription in the marketplace again to get a new one.",
        });
      }
    },
  );

  app.post(
    "/:publisherId/subscriptions/:subscriptionId/activate",
    { bodyLimit: formBodyLimit },
    async (request: FastifyRequest<{ Params: SubscriptionParams }>, reply) => {
      const publisher = await publisherOr404(deps, request.params.publisherId, reply);
      if (!publisher) return reply;
      const { subscriptionId } = request.params;
      if (!guidPattern.test(subscriptionId)) return notFound(publisher, reply);
      const now = deps.clock.now();
      const csrf = formField(request.body, "csrf");
      if (!deps.forms.check(csrf, bindings.activate(publisher.publisherId, subscriptionId), now)) {
        return refuseForm(deps, publisher, reply, subscriptionId);
      }
      try {
        const subscription = await deps.marketplace.getSubscription(publisher, subscriptionId);
        if (subscription.status === "PendingFulfillmentStart") {
          await deps.marketplace.activate(publisher, subscription);
          await deps.log.add(
            {
              publisherId: publisher.publisherId,
              subscriptionId,
              kind: "activation",
              summary: `Activated ${subscription.offerId} / ${subscription.planId}`,
              detail: { planId: subscription.planId, quantity: subscription.quantity ?? null },
            },
            now,
          );
        } else if (subscription.status !== "Subscribed") {
          return sendPage(
            reply,
            409,
            messagePage(
              frameFor(publisher, "This subscription cannot be activated"),
              "error",
              `The subscription is ${subscription.status}; only a subscription waiting for activation can be activated.`,
            ),
          );
        }
        const view = deps.forms.issue(bindings.view(publisher.publisherId, subscriptionId), now);
        return reply
          .code(303)
          .header(
            "location",
            `${subscriptionPath(publisher, subscriptionId)}?view=${encodeURIComponent(view)}&activated=1`,
          )
          .send();
      } catch (error) {
        return failedPage(deps, publisher, reply, error, {
          kind: "activation-failed",
          subscriptionId,
          title: "Activation did not work",
          hint: "Reload the landing page from the marketplace and try again.",
        });
      }
    },
  );

  app.get(
    "/:publisherId/subscriptions/:subscriptionId",
    async (
      request: FastifyRequest<{ Params: SubscriptionParams; Querystring: Record<string, unknown> }>,
      reply,
    ) => {
      const publisher = await publisherOr404(deps, request.params.publisherId, reply);
      if (!publisher) return reply;
      const { subscriptionId } = request.params;
      if (!guidPattern.test(subscriptionId)) return notFound(publisher, reply);
      const binding = bindings.view(publisher.publisherId, subscriptionId);
      if (!deps.forms.check(request.query.view, binding, deps.clock.now())) {
        return sendPage(
          reply,
          403,
          messagePage(
            frameFor(publisher, "This link has expired"),
            "error",
            "Subscription pages are reached from the marketplace's landing link. Open the subscription in the marketplace again.",
          ),
        );
      }
      try {
        const subscription = await deps.marketplace.getSubscription(publisher, subscriptionId);
        const justActivated = request.query.activated === "1";
        return sendPage(
          reply,
          200,
          subscriptionPage(frameFor(publisher, "Your subscription"), {
            subscription,
            banner: !justActivated
              ? undefined
              : subscription.status === "Subscribed"
                ? { tone: "success", text: "Your subscription is active. Welcome aboard!" }
                : { tone: "notice", text: "Activation was requested; the marketplace is completing it." },
          }),
        );
      } catch (error) {
        return failedPage(deps, publisher, reply, error, { title: "We could not show this subscription" });
      }
    },
  );
}

const activatePath = (app: PublisherApp, subscriptionId: string) =>
  `${subscriptionPath(app, subscriptionId)}/activate`;
const subscriptionPath = (app: PublisherApp, subscriptionId: string) =>
  `/demo-isv/${encodeURIComponent(app.publisherId)}/subscriptions/${encodeURIComponent(subscriptionId)}`;

function notFound(publisher: PublisherApp, reply: FastifyReply): FastifyReply {
  return sendPage(
    reply,
    404,
    messagePage(frameFor(publisher, "Not found"), "error", "There is no such subscription page."),
  );
}

async function failedPage(
  deps: DemoIsvDeps,
  publisher: PublisherApp,
  reply: FastifyReply,
  error: unknown,
  options: {
    kind?: "landing-failed" | "activation-failed";
    subscriptionId?: string;
    title: string;
    hint?: string;
  },
): Promise<FastifyReply> {
  if (!(error instanceof MarketplaceCallError))
    deps.logger.error({ err: error }, "demo ISV app request failed");
  const message = describeFailure(error);
  const status = error instanceof MarketplaceCallError ? pageStatusFor(error) : 502;
  if (options.kind) {
    await deps.log
      .add(
        {
          publisherId: publisher.publisherId,
          subscriptionId: options.subscriptionId,
          kind: options.kind,
          summary: `${options.title}: ${message}`,
          detail: { status: error instanceof MarketplaceCallError ? error.status : null, message },
        },
        deps.clock.now(),
      )
      .catch((logError: unknown) => deps.logger.error({ err: logError }, "demo ISV log write failed"));
  }
  return sendPage(
    reply,
    status,
    messagePage(
      frameFor(publisher, options.title),
      "error",
      `The marketplace said: ${message}`,
      options.hint ? html`<p>${options.hint}</p>` : undefined,
    ),
  );
}
