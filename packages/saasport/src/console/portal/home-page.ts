import { html, type SafeHtml } from "../../http/html.js";
import { priceText } from "../format.js";
import { layout, type SignedIn } from "../pages/layout.js";
import { badge } from "../pages/store/badges.js";
import { portalPaths } from "./paths.js";
import { offerEditorPath, planEditorPath } from "./plan-editor-page.js";
import { portalStyles } from "./styles.js";
import type { PartnerOffer, PartnerPlan } from "./wire.js";

/** The portal's home: the publisher's offers and plans, and where to go next. */
export function portalHomePage(signedIn: SignedIn, offers: PartnerOffer[], demoAppUrl?: string): SafeHtml {
  return layout(
    { title: `${signedIn.persona.displayName}: publisher portal`, current: "portal", signedIn },
    html`${portalStyles()}
<nav aria-label="Portal sections" class="card">
<ul>
<li><a href="${portalPaths.subscriptions}">Subscriptions</a>: who bought what, with each subscription's events and webhook deliveries</li>
<li><a href="${portalPaths.revenue}">Revenue and payouts</a>: revenue per month and payout statements</li>
<li><a href="${portalPaths.usage}">Usage</a>: metered usage per dimension per day</li>
<li><a href="${portalPaths.settings}">Technical configuration</a>: landing page, webhook and signing secrets</li>
${demoAppUrl ? html`<li><a href="${demoAppUrl}">Your demo app's dashboard</a></li>` : ""}
</ul>
</nav>
<h2>Offers and plans</h2>
${
  offers.length === 0
    ? html`<p class="card notice">You have no offers yet.</p>`
    : offers.map((offer) => offerSection(offer))
}`,
  );
}

function offerSection(offer: PartnerOffer): SafeHtml {
  const headingId = `offer-${offer.id}`;
  const perSeat = offer.pricingModel === "perUser";
  return html`<section class="offer card" aria-labelledby="${headingId}">
<h3 id="${headingId}">${offer.displayName} <span class="muted">(<code>${offer.id}</code>)</span></h3>
<ul class="badges" aria-label="About this offer">${[
    badge("seat", perSeat ? "Per user" : "Flat rate"),
    offer.preview ? badge("preview", "Preview") : "",
  ]}</ul>
<p>${offer.description}</p>
<p><a href="${offerEditorPath(offer.id)}" aria-label="Edit the offer ${offer.displayName}">Edit the offer</a></p>
<table>
<caption class="visually-hidden">Plans of ${offer.displayName}</caption>
<thead><tr><th scope="col">Plan</th><th scope="col">Prices</th><th scope="col">Metered dimensions</th><th scope="col">Sale</th></tr></thead>
<tbody>${offer.plans.map((plan) => planRow(offer.id, plan, perSeat))}</tbody>
</table>
</section>`;
}

function planRow(offerId: string, plan: PartnerPlan, perSeat: boolean): SafeHtml {
  const notes = [
    plan.private ? "private" : "",
    plan.freeTrial ? "free trial" : "",
    plan.seats ? `${plan.seats.min} to ${plan.seats.max} seats` : "",
  ].filter(Boolean);
  return html`<tr>
<td data-label="Plan"><strong><a href="${planEditorPath(offerId, plan.id)}" aria-label="Edit ${plan.displayName} of ${offerId}">${plan.displayName}</a></strong> <code>${plan.id}</code>${
    notes.length > 0 ? html`<br><span class="muted">${notes.join(", ")}</span>` : ""
  }</td>
<td data-label="Prices"><ul class="prices">${plan.billingTerms.map(
    (term) => html`<li>${priceText({ ...term, currency: term.currency ?? "USD" }, perSeat)}</li>`,
  )}</ul></td>
<td data-label="Metered dimensions">${
    plan.meteredDimensions.length === 0
      ? "None"
      : html`<ul class="prices">${plan.meteredDimensions.map(
          (dimension) =>
            html`<li>${dimension.displayName} (<code>${dimension.id}</code>): ${dimension.pricePerUnit} per ${dimension.unitOfMeasure}</li>`,
        )}</ul>`
  }</td>
<td data-label="Sale">${plan.stopSell ? html`<span class="badge badge-off">Stopped</span>` : html`<span class="badge badge-good">On sale</span>`}</td>
</tr>`;
}
