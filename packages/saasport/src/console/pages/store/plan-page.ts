import { html, raw, type SafeHtml } from "../../../http/html.js";
import { money } from "../../format.js";
import { planPath, storePaths } from "../../store/paths.js";
import type { StoreOffer, StorePlan } from "../../store/wire.js";
import { type FieldErrors, problemSummary, textField } from "../fields.js";
import { csrfInput, layout, type SignedIn } from "../layout.js";
import { planBadges } from "./badges.js";
import { privatePriceText, seatText, termLabel } from "./prices.js";

/** What the buy form holds: what was entered, kept when the purchase is refused. */
export interface BuyForm {
  seats: string;
  /** `<termUnit>:<paymentOption>` */
  billing: string;
  customerTenantId: string;
  customerEmail: string;
  name: string;
}

export interface PlanPageView {
  signedIn: SignedIn;
  offer: StoreOffer;
  plan: StorePlan;
  form: BuyForm;
  failure?: { message: string; errors: FieldErrors } | undefined;
}

export const billingValue = (term: { termUnit: string; paymentOption: string }) =>
  `${term.termUnit}:${term.paymentOption}`;

/** A new buy form: the fewest seats the plan sells and its first term. */
export function defaultBuyForm(plan: StorePlan): BuyForm {
  const first = plan.billingTerms[0];
  return {
    seats: plan.seats ? String(plan.seats.min) : "",
    billing: first ? billingValue(first) : "",
    customerTenantId: "",
    customerEmail: "",
    name: "",
  };
}

/** A plan with everything about it, and the form to buy it. */
export function planPage(view: PlanPageView): SafeHtml {
  const { offer, plan, form, failure } = view;
  const perSeat = offer.pricingModel === "perUser";
  const reseller = view.signedIn.persona.kind === "reseller";
  const errors = failure?.errors ?? {};
  return layout(
    { title: `${offer.displayName}: ${plan.displayName}`, current: "store", signedIn: view.signedIn },
    html`<p><a href="${storePaths.offers}">Back to the storefront</a></p>
<section class="card" aria-labelledby="about-plan">
<h2 id="about-plan">About this plan</h2>
${planBadges(plan)}
<p>${plan.description}</p>
<dl class="facts">
<dt>Offer</dt><dd>${offer.displayName} (<code>${offer.offerId}</code>) by ${offer.publisherId}</dd>
<dt>Plan</dt><dd><code>${plan.planId}</code></dd>
<dt>Pricing</dt><dd>${perSeat ? `Per user: ${seatText(plan.seats)}` : "Flat rate"}</dd>
<dt>Free trial</dt><dd>${plan.hasFreeTrial ? "Yes: the first month is free, then the paid term starts" : "No"}</dd>
${plan.privateOffer ? html`<dt>Private price</dt><dd>${privatePriceText(plan.privateOffer, perSeat)}</dd>` : ""}
</dl>
</section>
${plan.meteringDimensions.length > 0 ? meters(plan) : ""}
<section class="card" aria-labelledby="buy-heading">
<h2 id="buy-heading">Buy</h2>
${failure ? problemSummary("The purchase did not go through", [failure.message]) : ""}
<form method="post" action="${planPath(offer.publisherId, offer.offerId, plan.planId)}/buy">
${csrfInput(view.signedIn.csrfToken)}
${
  perSeat && plan.seats
    ? textField({
        name: "seats",
        label: "Seats",
        type: "number",
        value: form.seats,
        hint: `How many users: ${seatText(plan.seats)}.`,
        error: errors.seats,
        required: true,
        attributes: raw(`min="${plan.seats.min}" max="${plan.seats.max}" step="1" inputmode="numeric"`),
      })
    : ""
}
<fieldset${errors.billing ? html` aria-describedby="billing-error"` : ""}>
<legend>Term and payment</legend>
${errors.billing ? html`<span class="field-error" id="billing-error">${errors.billing}</span>` : ""}
${plan.billingTerms.map((term, index) => {
  const value = billingValue(term);
  return html`<div class="choice"><input type="radio" id="billing-${index}" name="billing" value="${value}"${
    value === form.billing ? html` checked` : ""
  } required><label for="billing-${index}">${termLabel(term, perSeat)}</label></div>`;
})}
</fieldset>
${
  reseller
    ? html`${textField({
        name: "customerTenantId",
        label: "Customer tenant ID",
        value: form.customerTenantId,
        hint: "The tenant you buy for (a GUID). Leave it empty to buy for your own tenant.",
        error: errors.customerTenantId,
        autocomplete: "off",
      })}
${textField({
  name: "customerEmail",
  label: "Customer contact email (optional)",
  type: "email",
  value: form.customerEmail,
  error: errors.customerEmail,
  autocomplete: "off",
})}`
    : ""
}
${textField({
  name: "name",
  label: "Subscription name (optional)",
  value: form.name,
  hint: "Shown to the publisher and in your subscriptions.",
  error: errors.name,
  attributes: raw(`maxlength="100"`),
})}
<button type="submit" class="button-large">Buy ${plan.displayName}</button>
</form>
</section>`,
  );
}

function meters(plan: StorePlan): SafeHtml {
  return html`<section aria-labelledby="meters-heading">
<h2 id="meters-heading">Metered usage</h2>
<table>
<caption class="visually-hidden">Usage billed beyond what the plan includes</caption>
<thead><tr><th scope="col">Dimension</th><th scope="col">Unit</th><th scope="col" class="number">Price per unit</th></tr></thead>
<tbody>${plan.meteringDimensions.map(
    (dimension) =>
      html`<tr><td data-label="Dimension">${dimension.displayName}</td><td data-label="Unit">${dimension.unitOfMeasure}</td><td data-label="Price per unit" class="number">${money(dimension.pricePerUnit, dimension.currency)}</td></tr>`,
  )}</tbody>
</table>
</section>`;
}
