import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiCallError } from "../api-client.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import type { Flash } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal } from "../store/api-errors.js";
import { type Publisher, publisherOf } from "./guard.js";
import {
  type PlanEditorView,
  type PlanFormValues,
  planEditorPage,
  planEditorPath,
} from "./plan-editor-page.js";
import { registerAddBillingTerm } from "./plan-term-routes.js";
import type { PartnerOffer, PartnerPlan } from "./wire.js";

type Params = { offerId: string; planId: string };

const outcomes: Record<string, Flash> = {
  saved: { tone: "success", text: "The plan is saved." },
  "stop-sell": { tone: "success", text: "The plan is off sale: new buyers no longer see it." },
  "resume-sell": { tone: "success", text: "The plan is on sale again." },
  "term-added": { tone: "success", text: "The billing term is added: new buyers can choose it." },
};

/** Which form field an API error target names ("body.seats.min", "plans[0].billingTerms[1].price"). */
export function planFieldOf(target: string | undefined): string | undefined {
  const path = (target ?? "").replace(/\[(\d+)\]/g, ".$1");
  const price = /(?:^|\.)billingTerms\.(\d+)\.price$/.exec(path);
  if (price) return `price-${price[1]}`;
  if (/(?:^|\.)seats\.max$/.test(path)) return "seatsMax";
  if (/(?:^|\.)seats(\.min)?$/.test(path)) return "seatsMin";
  if (/(?:^|\.)displayName$/.test(path)) return "displayName";
  if (/(?:^|\.)description$/.test(path)) return "description";
  return undefined;
}

/** A number when the text is a whole number; otherwise the text as entered (the API decides). */
function wholeOrText(text: string): number | string {
  return /^-?\d{1,9}$/.test(text) ? Number(text) : text;
}

/** The portal's plan editor: a plan's fields through PATCH /partner/v1, and stop-sell / resume-sell. */
export function registerPlanEditor(portal: FastifyInstance, deps: ConsoleDeps): void {
  const planApi = (params: Params) =>
    `/partner/v1/offers/${encodeURIComponent(params.offerId)}/plans/${encodeURIComponent(params.planId)}`;

  async function load(
    persona: Publisher,
    params: Params,
  ): Promise<{ offer: PartnerOffer; plan: PartnerPlan }> {
    const { body: offer } = await deps.api.call<PartnerOffer>(
      persona,
      "GET",
      `/partner/v1/offers/${encodeURIComponent(params.offerId)}`,
    );
    const plan = offer.plans.find((candidate) => candidate.id === params.planId);
    if (!plan) throw new ApiCallError(404, "NotFound", `Plan ${params.planId} was not found.`, "planId");
    return { offer, plan };
  }

  async function show(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    status: number,
    extra: Partial<PlanEditorView>,
  ) {
    const { persona, signedIn } = publisherOf(request);
    const { offer, plan } = await load(persona, request.params);
    return sendPage(reply, status, planEditorPage({ signedIn, offer, plan, ...extra }));
  }

  registerAddBillingTerm(portal, deps, { load, show, planApi });

  portal.get<{ Params: Params; Querystring: { done?: string } }>(
    "/offers/:offerId/plans/:planId",
    async (request, reply) => show(request, reply, 200, { flash: outcomes[request.query.done ?? ""] }),
  );

  portal.post<{ Params: Params }>(
    "/offers/:offerId/plans/:planId",
    { bodyLimit: formBodyLimit },
    async (request, reply) => {
      const { persona } = publisherOf(request);
      const { offer, plan } = await load(persona, request.params);
      const entered: PlanFormValues = {
        displayName: trimmedField(request.body, "displayName"),
        description: trimmedField(request.body, "description"),
        seatsMin: trimmedField(request.body, "seatsMin"),
        seatsMax: trimmedField(request.body, "seatsMax"),
      };
      plan.billingTerms.forEach((_term, index) => {
        entered[`price-${index}`] = trimmedField(request.body, `price-${index}`);
      });
      // Sent as entered: the API's plan rules decide what is acceptable.
      const patch: Record<string, unknown> = {
        displayName: entered.displayName,
        description: entered.description,
        billingTerms: plan.billingTerms.map((term, index) => ({
          termUnit: term.termUnit,
          paymentOption: term.paymentOption,
          currency: term.currency ?? "USD",
          price: entered[`price-${index}`] ?? "",
        })),
      };
      if (offer.pricingModel === "perUser" && (entered.seatsMin !== "" || entered.seatsMax !== "")) {
        const seats: Record<string, unknown> = {};
        if (entered.seatsMin !== "") seats.min = wholeOrText(entered.seatsMin ?? "");
        if (entered.seatsMax !== "") seats.max = wholeOrText(entered.seatsMax ?? "");
        patch.seats = seats;
      }
      try {
        await deps.api.call<PartnerPlan>(persona, "PATCH", planApi(request.params), patch);
        return seeOther(reply, `${planEditorPath(offer.id, plan.id)}?done=saved`);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        const problems =
          error.details.length > 0 ? error.details : [{ message: error.message, target: error.target }];
        const errors: Record<string, string> = {};
        for (const problem of problems) {
          const field = planFieldOf(problem.target);
          if (field && errors[field] === undefined) errors[field] = problem.message;
        }
        return show(request, reply, error.status, {
          entered,
          errors,
          summary: problems.map((problem) => problem.message),
        });
      }
    },
  );

  for (const move of ["stop-sell", "resume-sell"] as const) {
    portal.post<{ Params: Params }>(
      `/offers/:offerId/plans/:planId/${move}`,
      { bodyLimit: formBodyLimit },
      async (request, reply) => {
        const { persona } = publisherOf(request);
        try {
          await deps.api.call<PartnerPlan>(persona, "POST", `${planApi(request.params)}/${move}`);
          return seeOther(
            reply,
            `${planEditorPath(request.params.offerId, request.params.planId)}?done=${move}`,
          );
        } catch (error) {
          if (!isRefusal(error)) throw error;
          return show(request, reply, error.status, { saleProblem: error.message });
        }
      },
    );
  }
}
