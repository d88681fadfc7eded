import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, formField, trimmedField } from "../forms.js";
import { configurePage } from "../pages/store/configure-page.js";
import { offersPage } from "../pages/store/offers-page.js";
import { type BuyForm, defaultBuyForm, planPage } from "../pages/store/plan-page.js";
import { seeOther, sendPage } from "../responses.js";
import { fieldOf, isRefusal, readableMessage } from "./api-errors.js";
import { type Shopper, shopperOf } from "./guard.js";
import { openLandingUrl, sealLandingUrl } from "./landing-seal.js";
import { subscriptionPath } from "./paths.js";
import type { PurchaseAnswer, StoreCatalog, StoreOffer, StorePlan, StoreSubscription } from "./wire.js";

type PlanParams = { publisherId: string; offerId: string; planId: string };

/** The buy form's fields by the API's error targets, and their labels. */
const buyFields = {
  quantity: "seats",
  termUnit: "billing",
  paymentOption: "billing",
  "beneficiary.emailId": "customerEmail",
  beneficiary: "customerTenantId",
  purchaser: "customerTenantId",
  name: "name",
};
const buyLabels: Record<string, string> = {
  seats: "Seats",
  billing: "The term",
  customerTenantId: "The customer tenant ID",
  customerEmail: "The customer email",
  name: "The name",
};

export async function storeCatalog(deps: ConsoleDeps, persona: Shopper): Promise<StoreCatalog> {
  return (await deps.api.call<StoreCatalog>(persona, "GET", "/store/v1/offers")).body;
}

/** The offer and plan as the signed-in tenant sees them; undefined when it may not see them. */
export function findPlan(
  catalog: StoreCatalog,
  params: PlanParams,
): { offer: StoreOffer; plan: StorePlan } | undefined {
  const offer = catalog.offers.find(
    (candidate) => candidate.publisherId === params.publisherId && candidate.offerId === params.offerId,
  );
  const plan = offer?.plans.find((candidate) => candidate.planId === params.planId);
  return offer && plan ? { offer, plan } : undefined;
}

function readBuyForm(body: unknown): BuyForm {
  return {
    seats: trimmedField(body, "seats"),
    billing: formField(body, "billing") ?? "",
    customerTenantId: trimmedField(body, "customerTenantId"),
    customerEmail: trimmedField(body, "customerEmail"),
    name: trimmedField(body, "name"),
  };
}

/** The purchase request the form stands for; values go to the API as entered, for it to judge. */
function purchaseBody(params: PlanParams, form: BuyForm, perSeat: boolean, reseller: boolean) {
  const [termUnit, paymentOption] = form.billing.split(":");
  const seats = /^\d{1,9}$/.test(form.seats) ? Number(form.seats) : form.seats;
  const beneficiary =
    reseller && form.customerTenantId !== ""
      ? { tenantId: form.customerTenantId, ...(form.customerEmail ? { emailId: form.customerEmail } : {}) }
      : undefined;
  return {
    publisherId: params.publisherId,
    offerId: params.offerId,
    planId: params.planId,
    ...(perSeat && form.seats !== "" ? { quantity: seats } : {}),
    ...(termUnit ? { termUnit } : {}),
    ...(paymentOption ? { paymentOption } : {}),
    ...(form.name ? { name: form.name } : {}),
    ...(beneficiary ? { beneficiary } : {}),
  };
}

/** The storefront, a plan's page, buying it, and the Configure account page after. */
export function registerCatalogRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const notFound = (request: FastifyRequest) =>
    Object.assign(new Error(`There is no such plan for you: ${request.url.split("?")[0]}`), {
      statusCode: 404,
    });

  app.get("/store", async (request, reply) => {
    const { persona, signedIn } = shopperOf(request);
    return sendPage(reply, 200, offersPage(signedIn, await storeCatalog(deps, persona)));
  });

  app.get<{ Params: PlanParams }>("/store/offers/:publisherId/:offerId/:planId", async (request, reply) => {
    const { persona, signedIn } = shopperOf(request);
    const found = findPlan(await storeCatalog(deps, persona), request.params);
    if (!found) throw notFound(request);
    return sendPage(reply, 200, planPage({ signedIn, ...found, form: defaultBuyForm(found.plan) }));
  });

  app.post<{ Params: PlanParams }>(
    "/store/offers/:publisherId/:offerId/:planId/buy",
    { bodyLimit: formBodyLimit },
    async (request, reply) => {
      const { persona, signedIn } = shopperOf(request);
      const found = findPlan(await storeCatalog(deps, persona), request.params);
      if (!found) throw notFound(request);
      const form = readBuyForm(request.body);
      const perSeat = found.offer.pricingModel === "perUser";
      try {
        const { body } = await deps.api.call<PurchaseAnswer>(
          persona,
          "POST",
          "/store/v1/purchases",
          purchaseBody(request.params, form, perSeat, persona.kind === "reseller"),
        );
        const sealed = sealLandingUrl(body.landingPageUrl, signedIn.csrfToken, body.subscriptionId);
        return seeOther(
          reply,
          `${subscriptionPath(body.subscriptionId)}/configure?landing=${encodeURIComponent(sealed)}`,
        );
      } catch (error) {
        if (!isRefusal(error)) throw error;
        const field = fieldOf(error, buyFields);
        const message = readableMessage(error, field && buyLabels[field]);
        return sendPage(
          reply,
          error.status,
          planPage({
            signedIn,
            ...found,
            form,
            failure: { message, errors: field ? { [field]: message } : {} },
          }),
        );
      }
    },
  );

  app.get<{ Params: { subscriptionId: string }; Querystring: { landing?: string } }>(
    "/store/subscriptions/:subscriptionId/configure",
    async (request, reply) => {
      const { persona, signedIn } = shopperOf(request);
      const { body: subscription } = await deps.api.call<StoreSubscription>(
        persona,
        "GET",
        `/store/v1/subscriptions/${encodeURIComponent(request.params.subscriptionId)}`,
      );
      const catalog = await storeCatalog(deps, persona);
      const plan = findPlan(catalog, subscription)?.plan;
      return sendPage(
        reply,
        200,
        configurePage({
          signedIn,
          subscription,
          planName: plan?.displayName ?? subscription.planId,
          landingPageUrl: openLandingUrl(request.query.landing, signedIn.csrfToken, subscription.id),
        }),
      );
    },
  );
}
