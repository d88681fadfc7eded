import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiCallError } from "../api-client.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit } from "../forms.js";
import type { FieldErrors } from "../pages/fields.js";
import { seeOther } from "../responses.js";
import { isRefusal } from "../store/api-errors.js";
import { type Publisher, publisherOf } from "./guard.js";
import { type PlanEditorView, planEditorPath } from "./plan-editor-page.js";
import { type NewTermValues, newTermFieldOf, readNewTerm, termsWithNew } from "./plan-term-form.js";
import type { PartnerOffer, PartnerPlan } from "./wire.js";

type Params = { offerId: string; planId: string };

export interface PlanEditorAccess {
  load(persona: Publisher, params: Params): Promise<{ offer: PartnerOffer; plan: PartnerPlan }>;
  show(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    status: number,
    extra: Partial<PlanEditorView>,
  ): Promise<FastifyReply>;
  planApi(params: Params): string;
}

function refusalOf(error: ApiCallError, newIndex: number, entered: NewTermValues) {
  const problems =
    error.details.length > 0 ? error.details : [{ message: error.message, target: error.target }];
  const errors: FieldErrors = {};
  for (const problem of problems) {
    const field = newTermFieldOf(problem.target, newIndex);
    if (field && errors[field] === undefined) errors[field] = problem.message;
  }
  return { entered, errors, summary: problems.map((problem) => problem.message) };
}

/** Adds a billing term to a plan: PATCH /partner/v1 with the plan's terms and the new one. */
export function registerAddBillingTerm(
  portal: FastifyInstance,
  deps: ConsoleDeps,
  editor: PlanEditorAccess,
): void {
  portal.post<{ Params: Params }>(
    "/offers/:offerId/plans/:planId/billing-terms",
    { bodyLimit: formBodyLimit },
    async (request, reply) => {
      const { persona } = publisherOf(request);
      const { offer, plan } = await editor.load(persona, request.params);
      const entered = readNewTerm(request.body);
      try {
        // Sent as entered: the API's plan rules decide what is acceptable.
        await deps.api.call<PartnerPlan>(persona, "PATCH", editor.planApi(request.params), {
          billingTerms: termsWithNew(plan, entered),
        });
        return seeOther(reply, `${planEditorPath(offer.id, plan.id)}?done=term-added`);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return editor.show(request, reply, error.status, {
          newTerm: refusalOf(error, plan.billingTerms.length, entered),
        });
      }
    },
  );
}
