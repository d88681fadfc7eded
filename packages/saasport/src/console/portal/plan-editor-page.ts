import { html, type SafeHtml } from "../../http/html.js";
import { paymentText, termText } from "../format.js";
import { problemSummary, textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { portalPaths } from "./paths.js";
import { addTermSection, type NewTermForm } from "./plan-term-form.js";
import { portalStyles } from "./styles.js";
import type { PartnerOffer, PartnerPlan } from "./wire.js";

const segment = encodeURIComponent;

/** The editor's URL of a plan (its form posts there too). */
export function planEditorPath(offerId: string, planId: string): string {
  return `${portalPaths.home}/offers/${segment(offerId)}/plans/${segment(planId)}`;
}

/** The editor's URL of an offer. */
export function offerEditorPath(offerId: string): string {
  return `${portalPaths.home}/offers/${segment(offerId)}`;
}

/** The fields of the plan form, as the form names them (`price-0` is the first billing term's price). */
export type PlanFormValues = Record<string, string>;

export interface PlanEditorView {
  signedIn: SignedIn;
  offer: PartnerOffer;
  plan: PartnerPlan;
  /** What was entered, when the API refused it (kept in the fields). */
  entered?: PlanFormValues | undefined;
  /** The API's messages per form field. */
  errors?: Record<string, string> | undefined;
  /** Every message of the refusal, shown at the top of the form. */
  summary?: string[] | undefined;
  /** A refusal of stop-sell or resume-sell. */
  saleProblem?: string | undefined;
  /** The add-a-billing-term form, with what was entered and the API's messages after a refusal. */
  newTerm?: NewTermForm | undefined;
  flash?: Flash | undefined;
}

/** The form's values from the plan as the API describes it. */
export function planFormValues(plan: PartnerPlan): PlanFormValues {
  const values: PlanFormValues = {
    displayName: plan.displayName,
    description: plan.description,
    seatsMin: plan.seats ? String(plan.seats.min) : "",
    seatsMax: plan.seats ? String(plan.seats.max) : "",
  };
  plan.billingTerms.forEach((term, index) => {
    values[`price-${index}`] = term.price;
  });
  return values;
}

function termLabel(term: PartnerPlan["billingTerms"][number]): string {
  const payment = paymentText(term.paymentOption);
  return `Price for ${termText(term.termUnit)}${payment ? `, ${payment}` : ""} (${term.currency ?? "USD"})`;
}

/** A plan of the publisher: its fields in a form, and whether it is on sale. */
export function planEditorPage(view: PlanEditorView): SafeHtml {
  const { offer, plan } = view;
  const values = view.entered ?? planFormValues(plan);
  const errors = view.errors ?? {};
  const perSeat = offer.pricingModel === "perUser";
  const action = planEditorPath(offer.id, plan.id);
  const descriptionError = errors.description;
  return layout(
    {
      title: `${offer.displayName}: ${plan.displayName}`,
      current: "portal",
      signedIn: view.signedIn,
      flash: view.flash,
    },
    html`${portalStyles()}
<p><a href="${portalPaths.home}">Back to offers and plans</a> · <a href="${offerEditorPath(offer.id)}">Edit the offer ${offer.displayName}</a></p>
<section class="card" aria-labelledby="sale-heading">
<h2 id="sale-heading">Sale</h2>
${view.saleProblem ? problemSummary("The sale was not changed", [view.saleProblem]) : ""}
<p id="sale-status">${
      plan.stopSell
        ? html`<span class="badge badge-off">Stopped</span> New buyers cannot buy this plan; existing subscriptions keep it.`
        : html`<span class="badge badge-good">On sale</span> Buyers can buy this plan.`
    }</p>
<form method="post" action="${action}/${plan.stopSell ? "resume-sell" : "stop-sell"}">
${csrfInput(view.signedIn.csrfToken)}
<button type="submit" class="${plan.stopSell ? "secondary" : "danger"}">${plan.stopSell ? "Resume sell" : "Stop sell"}</button>
</form>
</section>
<section class="card" aria-labelledby="plan-heading">
<h2 id="plan-heading">Plan <code>${plan.id}</code></h2>
${problemSummary("The plan was not saved", view.summary ?? [])}
<form method="post" action="${action}" novalidate>
${csrfInput(view.signedIn.csrfToken)}
${textField({ name: "displayName", label: "Display name", value: values.displayName, error: errors.displayName, required: true, autocomplete: "off" })}
<div class="field">
<label for="description">Description</label>
${descriptionError ? html`<span class="field-error" id="description-error">${descriptionError}</span>` : ""}
<textarea id="description" name="description" rows="4"${descriptionError ? html` aria-describedby="description-error" aria-invalid="true"` : ""}>${values.description ?? ""}</textarea>
</div>
${
  perSeat
    ? html`<fieldset>
<legend>Seats</legend>
${textField({ name: "seatsMin", label: "Minimum seats", value: values.seatsMin, error: errors.seatsMin, type: "number", autocomplete: "off" })}
${textField({ name: "seatsMax", label: "Maximum seats", value: values.seatsMax, error: errors.seatsMax, type: "number", autocomplete: "off" })}
</fieldset>`
    : ""
}
${
  plan.billingTerms.length === 0
    ? ""
    : html`<fieldset>
<legend>Prices</legend>
${plan.billingTerms.map((term, index) =>
  textField({
    name: `price-${index}`,
    label: termLabel(term),
    value: values[`price-${index}`],
    hint: perSeat ? "Per seat, a decimal such as 25.00." : "A decimal such as 49.00.",
    error: errors[`price-${index}`],
    required: true,
    autocomplete: "off",
  }),
)}
</fieldset>`
}
<button type="submit">Save the plan</button>
</form>
</section>
${addTermSection(plan, `${action}/billing-terms`, view.signedIn.csrfToken, view.newTerm ?? {})}`,
  );
}
