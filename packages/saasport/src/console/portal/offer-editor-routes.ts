import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import type { FieldErrors } from "../pages/fields.js";
import type { Flash } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal } from "../store/api-errors.js";
import { publisherOf } from "./guard.js";
import {
  type OfferEditorView,
  type OfferFormValues,
  offerEditorPage,
  offerFields,
} from "./offer-editor-page.js";
import { offerEditorPath } from "./plan-editor-page.js";
import type { PartnerOffer } from "./wire.js";

type Params = { offerId: string };

const outcomes: Record<string, Flash> = {
  saved: { tone: "success", text: "The offer is saved." },
};

const fieldLabels: Record<string, string> = {
  displayName: "Display name",
  description: "Description",
  preview: "Preview",
  pricingModel: "Pricing model",
};

/** The API names the field in its target only ("must not be empty"); the form's label makes it readable. */
function labelled(message: string, field: string | undefined): string {
  const label = field ? fieldLabels[field] : undefined;
  return label && /^[a-z]/.test(message) ? `${label} ${message}` : message;
}

/** Which form field an API target names (`body.displayName`, `displayName`). */
function offerFieldOf(target: string | undefined): string | undefined {
  const name = (target ?? "").replace(/^body\./, "");
  return offerFields.find((field) => field === name);
}

/** The portal's offer editor: an offer's own fields through PATCH /partner/v1/offers/{offerId}. */
export function registerOfferEditor(portal: FastifyInstance, deps: ConsoleDeps): void {
  const offerApi = (offerId: string) => `/partner/v1/offers/${encodeURIComponent(offerId)}`;

  async function show(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    status: number,
    extra: Partial<OfferEditorView>,
  ) {
    const { persona, signedIn } = publisherOf(request);
    const { body: offer } = await deps.api.call<PartnerOffer>(
      persona,
      "GET",
      offerApi(request.params.offerId),
    );
    return sendPage(reply, status, offerEditorPage({ signedIn, offer, ...extra }));
  }

  portal.get<{ Params: Params; Querystring: { done?: string } }>("/offers/:offerId", async (request, reply) =>
    show(request, reply, 200, { flash: outcomes[request.query.done ?? ""] }),
  );

  portal.post<{ Params: Params }>(
    "/offers/:offerId",
    { bodyLimit: formBodyLimit },
    async (request, reply) => {
      const { persona } = publisherOf(request);
      const entered = {} as OfferFormValues;
      for (const field of offerFields) entered[field] = trimmedField(request.body, field);
      // Sent as entered: the API's offer rules decide what is acceptable.
      const patch: Record<string, unknown> = {
        displayName: entered.displayName,
        description: entered.description,
        preview: entered.preview === "on",
        ...(entered.pricingModel ? { pricingModel: entered.pricingModel } : {}),
      };
      try {
        await deps.api.call<PartnerOffer>(persona, "PATCH", offerApi(request.params.offerId), patch);
        return seeOther(reply, `${offerEditorPath(request.params.offerId)}?done=saved`);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        const problems =
          error.details.length > 0 ? error.details : [{ message: error.message, target: error.target }];
        const errors: FieldErrors = {};
        const summary: string[] = [];
        for (const problem of problems) {
          const field = offerFieldOf(problem.target);
          const message = labelled(problem.message, field);
          summary.push(message);
          if (field && errors[field] === undefined) errors[field] = message;
        }
        return show(request, reply, error.status, { entered, errors, summary });
      }
    },
  );
}
