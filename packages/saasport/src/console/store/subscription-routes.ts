import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, formField, trimmedField } from "../forms.js";
import type { Flash } from "../pages/layout.js";
import { type ManageForm, subscriptionPage } from "../pages/store/subscription-page.js";
import { subscriptionsPage } from "../pages/store/subscriptions-page.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal, readableMessage } from "./api-errors.js";
import { storeCatalog } from "./catalog-routes.js";
import { type Shopper, shopperOf } from "./guard.js";
import { subscriptionPath } from "./paths.js";
import type { ChangeAnswer, StoreSubscription } from "./wire.js";

type Params = { subscriptionId: string };

/** What a finished change says on the page it leads back to (`?done=`). */
const outcomes: Record<string, Flash> = {
  "plan-requested": { tone: "success", text: "Plan change requested: the publisher is asked to agree." },
  "seats-requested": { tone: "success", text: "Seat change requested: the publisher is asked to agree." },
  plan: { tone: "success", text: "The plan is changed." },
  seats: { tone: "success", text: "The seats are changed." },
  "auto-renew": { tone: "success", text: "Auto-renew is changed." },
  cancelled: { tone: "success", text: "The subscription is cancelled." },
};

const subscriptionApi = (id: string) => `/store/v1/subscriptions/${encodeURIComponent(id)}`;

/** My subscriptions, one subscription, and the buyer's changes to it. */
export function registerSubscriptionRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  async function showSubscription(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    status: number,
    extra: { flash?: Flash | undefined; failure?: { form: ManageForm; message: string; value: string } },
  ) {
    const { persona, signedIn } = shopperOf(request);
    const { body: subscription } = await deps.api.call<StoreSubscription>(
      persona,
      "GET",
      subscriptionApi(request.params.subscriptionId),
    );
    const offer = (await storeCatalog(deps, persona)).offers.find(
      (candidate) =>
        candidate.publisherId === subscription.publisherId && candidate.offerId === subscription.offerId,
    );
    return sendPage(
      reply,
      status,
      subscriptionPage({
        signedIn,
        subscription,
        plans: offer?.plans ?? [],
        perSeat: offer ? offer.pricingModel === "perUser" : subscription.quantity !== undefined,
        ...extra,
      }),
    );
  }

  /** Sends one change to the API; a refusal is shown next to its form with the value entered. */
  async function change(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    form: ManageForm,
    value: string,
    send: (persona: Shopper) => Promise<{ status: number; body: ChangeAnswer }>,
    done: (answer: ChangeAnswer) => string,
  ) {
    const { persona } = shopperOf(request);
    try {
      const { body } = await send(persona);
      return seeOther(reply, `${subscriptionPath(request.params.subscriptionId)}?done=${done(body)}`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const label = form === "seats" ? "Seats" : form === "plan" ? "The plan" : undefined;
      return showSubscription(request, reply, error.status, {
        failure: { form, message: readableMessage(error, label), value },
      });
    }
  }

  app.get("/store/subscriptions", async (request, reply) => {
    const { persona, signedIn } = shopperOf(request);
    const { body } = await deps.api.call<{ subscriptions: StoreSubscription[] }>(
      persona,
      "GET",
      "/store/v1/subscriptions",
    );
    return sendPage(reply, 200, subscriptionsPage(signedIn, body.subscriptions));
  });

  app.get<{ Params: Params; Querystring: { done?: string } }>(
    "/store/subscriptions/:subscriptionId",
    async (request, reply) =>
      showSubscription(request, reply, 200, { flash: outcomes[request.query.done ?? ""] }),
  );

  const patch = (persona: Shopper, id: string, body: unknown) =>
    deps.api.call<ChangeAnswer>(persona, "PATCH", subscriptionApi(id), body);
  const postOptions = { bodyLimit: formBodyLimit };

  app.post<{ Params: Params }>(
    "/store/subscriptions/:subscriptionId/plan",
    postOptions,
    async (request, reply) => {
      const planId = trimmedField(request.body, "planId");
      return change(
        request,
        reply,
        "plan",
        planId,
        (persona) => patch(persona, request.params.subscriptionId, { planId }),
        (answer) => (answer.operationStatus === "InProgress" ? "plan-requested" : "plan"),
      );
    },
  );

  app.post<{ Params: Params }>(
    "/store/subscriptions/:subscriptionId/seats",
    postOptions,
    async (request, reply) => {
      const entered = trimmedField(request.body, "quantity");
      // Sent as entered (a number when it is one): the API decides what is acceptable.
      const quantity = /^\d{1,9}$/.test(entered) ? Number(entered) : entered;
      return change(
        request,
        reply,
        "seats",
        entered,
        (persona) => patch(persona, request.params.subscriptionId, { quantity }),
        (answer) => (answer.operationStatus === "InProgress" ? "seats-requested" : "seats"),
      );
    },
  );

  app.post<{ Params: Params }>(
    "/store/subscriptions/:subscriptionId/auto-renew",
    postOptions,
    async (request, reply) => {
      const wanted = formField(request.body, "autoRenew");
      return change(
        request,
        reply,
        "auto-renew",
        wanted ?? "",
        (persona) => patch(persona, request.params.subscriptionId, { autoRenew: wanted === "on" }),
        () => "auto-renew",
      );
    },
  );

  app.post<{ Params: Params }>(
    "/store/subscriptions/:subscriptionId/cancel",
    postOptions,
    async (request, reply) => {
      if (formField(request.body, "confirm") !== "yes") {
        return showSubscription(request, reply, 400, {
          failure: { form: "cancel", message: "Tick the box to confirm the cancellation.", value: "" },
        });
      }
      return change(
        request,
        reply,
        "cancel",
        "",
        (persona) =>
          deps.api.call<ChangeAnswer>(persona, "DELETE", subscriptionApi(request.params.subscriptionId)),
        () => "cancelled",
      );
    },
  );
}
