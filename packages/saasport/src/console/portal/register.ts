import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiCallError } from "../api-client.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import type { Flash, NavItem } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal, readableMessage } from "../store/api-errors.js";
import type { StoreSubscription } from "../store/wire.js";
import { credentialsPath, registerCredentialPages } from "./credential-pages.js";
import { type Publisher, publisherGuard, publisherOf } from "./guard.js";
import { portalHomePage } from "./home-page.js";
import { registerOfferEditor } from "./offer-editor-routes.js";
import { portalPaths, portalSubscriptionPath, withQuery } from "./paths.js";
import { registerPlanEditor } from "./plan-editor-routes.js";
import { privateOffersPath, registerPrivateOfferPages } from "./private-offer-pages.js";
import { revenuePage } from "./revenue-page.js";
import {
  type ConfigurationField,
  configurationFields,
  type SettingsPageView,
  settingsPage,
} from "./settings-page.js";
import { portalStylesheet } from "./styles.js";
import { registerSubscriptionList } from "./subscription-list-route.js";
import { subscriptionDetailPage } from "./subscription-pages.js";
import { monthOf } from "./text.js";
import { usagePage } from "./usage-page.js";
import type {
  Delivery,
  DeliveryDetail,
  PartnerEvent,
  PartnerOffer,
  Payouts,
  Revenue,
  TechnicalConfiguration,
  UsageRow,
  WebhookSecret,
} from "./wire.js";

/** The publisher portal's navigation entries (the layout shows them to a publisher persona). */
export const portalNav: NavItem[] = [
  { key: "portal", href: portalPaths.home, label: "Portal" },
  { key: "portal-subscriptions", href: portalPaths.subscriptions, label: "Subscriptions" },
  { key: "portal-revenue", href: portalPaths.revenue, label: "Revenue" },
  { key: "portal-usage", href: portalPaths.usage, label: "Usage" },
  { key: "portal-settings", href: portalPaths.settings, label: "Technical configuration" },
  { key: "portal-credentials", href: credentialsPath, label: "Credentials" },
  { key: "portal-private-offers", href: privateOffersPath, label: "Private offers" },
];

/** At most this many deliveries of a subscription are shown with their attempts and payloads. */
const deliveriesShown = 20;

const subscriptionOutcomes: Record<string, Flash> = {
  redelivered: { tone: "success", text: "The webhook is queued again: a new delivery is listed below." },
};

/** The field an API error names (`body.webhookUrl`, `query.from`, `from`), without its prefix. */
function targetField(error: ApiCallError): string | undefined {
  return error.target?.replace(/^(body|query|querystring)\./, "") || undefined;
}

function one(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** The publisher portal under /console/portal (a publisher persona; every POST carries the CSRF token). */
export function registerPortalPages(scope: FastifyInstance, deps: ConsoleDeps): void {
  scope.get("/portal.css", async (_request, reply) =>
    reply
      .header("content-type", "text/css; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .header("x-content-type-options", "nosniff")
      .send(portalStylesheet),
  );

  scope.register(async (portal) => {
    portal.addHook("preHandler", publisherGuard());
    registerPlanEditor(portal, deps);
    registerOfferEditor(portal, deps);
    const partner = <T>(persona: Publisher, method: "GET" | "POST" | "PATCH", path: string, body?: unknown) =>
      deps.api.call<T>(persona, method, `/partner/v1${path}`, body);

    registerCredentialPages(portal, deps);
    registerPrivateOfferPages(portal, deps);

    portal.get("/", async (request, reply) => {
      const { persona, signedIn } = publisherOf(request);
      const { body } = await partner<{ offers: PartnerOffer[] }>(persona, "GET", "/offers");
      const demoApp = (await deps.isDemo())
        ? `/demo-isv/${encodeURIComponent(persona.publisherId)}/`
        : undefined;
      return sendPage(reply, 200, portalHomePage(signedIn, body.offers, demoApp));
    });

    registerSubscriptionList(portal, deps);

    /** The publisher's own subscription (the partner API answers 404 for anyone else's). */
    async function ownSubscription(persona: Publisher, id: string): Promise<StoreSubscription> {
      try {
        return (await partner<StoreSubscription>(persona, "GET", `/subscriptions/${encodeURIComponent(id)}`))
          .body;
      } catch (error) {
        // An address whose id is not even a GUID names no page.
        if (
          error instanceof ApiCallError &&
          error.status === 400 &&
          error.target === "params.subscriptionId"
        ) {
          throw new ApiCallError(404, "NotFound", `Subscription ${id} was not found.`, "subscriptionId");
        }
        throw error;
      }
    }

    portal.get<{ Params: { subscriptionId: string }; Querystring: { done?: string } }>(
      "/subscriptions/:subscriptionId",
      async (request, reply) => {
        const { persona, signedIn } = publisherOf(request);
        const subscription = await ownSubscription(persona, request.params.subscriptionId);
        const id = encodeURIComponent(subscription.id);
        const [events, deliveries] = await Promise.all([
          partner<{ events: PartnerEvent[] }>(persona, "GET", `/events?subscriptionId=${id}&limit=1000`),
          partner<{ deliveries: Delivery[] }>(
            persona,
            "GET",
            `/webhook-deliveries?subscriptionId=${id}&limit=${deliveriesShown}`,
          ),
        ]);
        const details = await Promise.all(
          deliveries.body.deliveries.map(
            async (delivery) =>
              (
                await partner<DeliveryDetail>(
                  persona,
                  "GET",
                  `/webhook-deliveries/${encodeURIComponent(delivery.id)}`,
                )
              ).body,
          ),
        );
        return sendPage(
          reply,
          200,
          subscriptionDetailPage({
            signedIn,
            subscription,
            events: events.body.events,
            deliveries: details,
            flash: subscriptionOutcomes[request.query.done ?? ""],
          }),
        );
      },
    );

    portal.post<{ Params: { subscriptionId: string; deliveryId: string } }>(
      "/subscriptions/:subscriptionId/deliveries/:deliveryId/redeliver",
      { bodyLimit: formBodyLimit },
      async (request, reply) => {
        const { persona } = publisherOf(request);
        const subscription = await ownSubscription(persona, request.params.subscriptionId);
        await partner<Delivery>(
          persona,
          "POST",
          `/webhook-deliveries/${encodeURIComponent(request.params.deliveryId)}/redeliver`,
        );
        return seeOther(reply, `${portalSubscriptionPath(subscription.id)}?done=redelivered`);
      },
    );

    portal.get<{ Querystring: Record<string, unknown> }>("/revenue", async (request, reply) => {
      const { persona, signedIn } = publisherOf(request);
      const now = deps.clock.now();
      const range = {
        from: one(request.query.from) || monthOf(now, -11),
        to: one(request.query.to) || monthOf(now),
      };
      try {
        const [revenue, payouts] = await Promise.all([
          partner<Revenue>(persona, "GET", withQuery("/revenue", range)),
          partner<Payouts>(persona, "GET", "/payouts"),
        ]);
        return sendPage(
          reply,
          200,
          revenuePage({ signedIn, range, revenue: revenue.body, payouts: payouts.body }),
        );
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return sendPage(
          reply,
          error.status,
          revenuePage({
            signedIn,
            range,
            revenue: undefined,
            payouts: undefined,
            failure: { field: targetField(error), message: error.message },
          }),
        );
      }
    });

    portal.get<{ Querystring: Record<string, unknown> }>("/usage", async (request, reply) => {
      const { persona, signedIn } = publisherOf(request);
      const today = deps.clock.now();
      const range = {
        from:
          one(request.query.from) || new Date(today.getTime() - 29 * 86_400_000).toISOString().slice(0, 10),
        to: one(request.query.to) || today.toISOString().slice(0, 10),
        dimension: one(request.query.dimension),
      };
      try {
        const { body } = await partner<{ usage: UsageRow[] }>(persona, "GET", withQuery("/usage", range));
        return sendPage(reply, 200, usagePage({ signedIn, range, usage: body.usage }));
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return sendPage(
          reply,
          error.status,
          usagePage({
            signedIn,
            range,
            usage: undefined,
            failure: { field: targetField(error), message: error.message },
          }),
        );
      }
    });

    async function showSettings(
      request: FastifyRequest<{ Querystring: { done?: string } }>,
      reply: FastifyReply,
      status: number,
      extra: Partial<SettingsPageView>,
    ) {
      const { persona, signedIn } = publisherOf(request);
      const [configuration, secrets] = await Promise.all([
        partner<TechnicalConfiguration>(persona, "GET", "/technical-configuration"),
        partner<{ secrets: WebhookSecret[] }>(persona, "GET", "/webhook-secrets"),
      ]);
      return sendPage(
        reply,
        status,
        settingsPage({
          signedIn,
          configuration: configuration.body,
          secrets: secrets.body.secrets,
          ...extra,
        }),
      );
    }

    const settingsOutcomes: Record<string, Flash> = {
      saved: { tone: "success", text: "The technical configuration is saved." },
      retired: {
        tone: "success",
        text: "The secret is retired: webhook calls are no longer signed with it.",
      },
    };

    portal.get<{ Querystring: { done?: string } }>("/technical-configuration", async (request, reply) =>
      showSettings(request, reply, 200, { flash: settingsOutcomes[request.query.done ?? ""] }),
    );

    portal.post<{ Querystring: { done?: string } }>(
      "/technical-configuration",
      { bodyLimit: formBodyLimit },
      async (request, reply) => {
        const { persona } = publisherOf(request);
        const entered: Partial<Record<ConfigurationField, string>> = {};
        for (const field of configurationFields) entered[field.name] = trimmedField(request.body, field.name);
        try {
          // Sent as entered: the API decides what is acceptable.
          await partner<TechnicalConfiguration>(persona, "PATCH", "/technical-configuration", entered);
          return seeOther(reply, `${portalPaths.settings}?done=saved`);
        } catch (error) {
          if (!isRefusal(error)) throw error;
          const field = configurationFields.find((candidate) => candidate.name === targetField(error));
          const prefix = `${error.target ?? ""}: `;
          const message =
            field && error.target && error.message.startsWith(prefix)
              ? `${field.label} ${error.message.slice(prefix.length)}`
              : readableMessage(error, field?.label);
          return showSettings(request, reply, error.status, {
            entered,
            errors: field ? { [field.name]: message } : {},
            summary: [message],
          });
        }
      },
    );

    portal.post<{ Querystring: { done?: string } }>(
      "/technical-configuration/secrets",
      { bodyLimit: formBodyLimit },
      async (request, reply) => {
        const { persona } = publisherOf(request);
        try {
          const { body } = await partner<WebhookSecret & { secret: string }>(
            persona,
            "POST",
            "/webhook-secrets",
          );
          // The secret is in this answer only: the page shows it now, never again.
          return showSettings(request, reply, 201, { createdSecret: { id: body.id, secret: body.secret } });
        } catch (error) {
          if (!isRefusal(error)) throw error;
          return showSettings(request, reply, error.status, { secretProblem: error.message });
        }
      },
    );

    portal.post<{ Params: { secretId: string } }>(
      "/technical-configuration/secrets/:secretId/retire",
      { bodyLimit: formBodyLimit },
      async (request, reply) => {
        const { persona } = publisherOf(request);
        await partner<WebhookSecret>(
          persona,
          "POST",
          `/webhook-secrets/${encodeURIComponent(request.params.secretId)}/retire`,
        );
        return seeOther(reply, `${portalPaths.settings}?done=retired`);
      },
    );
  });
}
