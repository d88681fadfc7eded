import { html, type SafeHtml } from "../../http/html.js";
import { type FieldErrors, problemSummary, textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { portalPaths } from "./paths.js";
import { offerEditorPath, planEditorPath } from "./plan-editor-page.js";
import { portalStyles } from "./styles.js";
import type { PartnerOffer } from "./wire.js";

/** The offer form's fields, named as PATCH /partner/v1/offers/{offerId} names them. */
export const offerFields = ["displayName", "description", "preview", "pricingModel"] as const;
export type OfferFormValues = Record<(typeof offerFields)[number], string>;

export interface OfferEditorView {
  signedIn: SignedIn;
  offer: PartnerOffer;
  entered?: OfferFormValues | undefined;
  errors?: FieldErrors | undefined;
  summary?: string[] | undefined;
  flash?: Flash | undefined;
}

export function offerFormValues(offer: PartnerOffer): OfferFormValues {
  return {
    displayName: offer.displayName,
    description: offer.description,
    preview: offer.preview ? "on" : "",
    pricingModel: offer.pricingModel,
  };
}

const pricingModels = [
  { value: "flatRate", label: "Flat rate" },
  { value: "perUser", label: "Per user (seats)" },
];

/** The pricing model can change only while the offer has no plans (the API's rule). */
function pricingModelField(view: OfferEditorView, values: OfferFormValues): SafeHtml {
  const error = view.errors?.pricingModel;
  if (view.offer.plans.length > 0) {
    const label = pricingModels.find((model) => model.value === view.offer.pricingModel)?.label;
    return html`<p id="pricing-model-fixed"><strong>Pricing model:</strong> ${label ?? view.offer.pricingModel} <span class="muted">(fixed once an offer has plans)</span></p>`;
  }
  return html`<div class="field">
<label for="pricingModel">Pricing model</label>
${error ? html`<span class="field-error" id="pricingModel-error">${error}</span>` : ""}
<select id="pricingModel" name="pricingModel"${error ? html` aria-invalid="true" aria-describedby="pricingModel-error"` : ""}>
${pricingModels.map(
  (model) =>
    html`<option value="${model.value}"${model.value === values.pricingModel ? html` selected` : ""}>${model.label}</option>`,
)}
</select>
</div>`;
}

/** An offer of the publisher: its name, description, preview flag and (without plans) pricing model. */
export function offerEditorPage(view: OfferEditorView): SafeHtml {
  const { offer } = view;
  const values = view.entered ?? offerFormValues(offer);
  const errors = view.errors ?? {};
  const descriptionError = errors.description;
  const previewError = errors.preview;
  return layout(
    { title: offer.displayName, current: "portal", signedIn: view.signedIn, flash: view.flash },
    html`${portalStyles()}
<p><a href="${portalPaths.home}">Back to offers and plans</a></p>
<section class="card" aria-labelledby="offer-heading">
<h2 id="offer-heading">Offer <code>${offer.id}</code></h2>
${problemSummary("The offer was not saved", view.summary ?? [])}
<form method="post" action="${offerEditorPath(offer.id)}" novalidate>
${csrfInput(view.signedIn.csrfToken)}
${textField({ name: "displayName", label: "Display name", value: values.displayName, error: errors.displayName, required: true, autocomplete: "off" })}
<div class="field">
<label for="description">Description</label>
<span class="hint" id="description-hint">Buyers read it in the store.</span>
${descriptionError ? html`<span class="field-error" id="description-error">${descriptionError}</span>` : ""}
<textarea id="description" name="description" rows="5" aria-describedby="description-hint${descriptionError ? " description-error" : ""}"${descriptionError ? html` aria-invalid="true"` : ""}>${values.description}</textarea>
</div>
<div class="field">
${previewError ? html`<span class="field-error" id="preview-error">${previewError}</span>` : ""}
<label><input type="checkbox" id="preview" name="preview" value="on"${values.preview === "on" ? html` checked` : ""} aria-describedby="preview-hint${previewError ? " preview-error" : ""}"> Preview</label>
<span class="hint" id="preview-hint">A preview offer is sold only to its preview audience, with the offer id ending in -preview.</span>
</div>
${pricingModelField(view, values)}
<button type="submit">Save the offer</button>
</form>
</section>
<section class="card" aria-labelledby="plans-heading">
<h2 id="plans-heading">Plans</h2>
${
  offer.plans.length === 0
    ? html`<p class="muted">No plans yet.</p>`
    : html`<ul>${offer.plans.map(
        (plan) =>
          html`<li><a href="${planEditorPath(offer.id, plan.id)}">${plan.displayName}</a> <code>${plan.id}</code></li>`,
      )}</ul>`
}
</section>`,
  );
}
