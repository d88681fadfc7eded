import { html, type SafeHtml } from "../../../http/html.js";
import { dayText, money, priceText } from "../../format.js";
import { storePaths } from "../../store/paths.js";
import type { StorePrivateOffer } from "../../store/wire.js";
import { problemSummary } from "../fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../layout.js";

const statusWords: Record<string, string> = {
  pending: "Waiting for you",
  accepted: "Accepted",
  expired: "Expired",
};
const statusTones: Record<string, string> = { pending: "wait", accepted: "good", expired: "off" };

export interface PrivateOffersView {
  signedIn: SignedIn;
  offers: StorePrivateOffer[];
  flash?: Flash | undefined;
  failure?: { offerId: string; message: string } | undefined;
}

/** Private offers made to the tenant: list and private prices side by side, and Accept. */
export function privateOffersPage(view: PrivateOffersView): SafeHtml {
  return layout(
    { title: "Private offers", current: "private-offers", signedIn: view.signedIn, flash: view.flash },
    html`<p>Publishers' negotiated prices for your tenant. Once you accept one, its plans show the private price in the <a href="${storePaths.offers}">storefront</a> and purchases get it.</p>
${
  view.offers.length === 0
    ? html`<p class="card notice">No private offers have been made to your tenant.</p>`
    : view.offers.map((offer) => offerCard(view, offer))
}`,
  );
}

function offerCard(view: PrivateOffersView, offer: StorePrivateOffer): SafeHtml {
  const headingId = `private-offer-${offer.id}`;
  const failure = view.failure?.offerId === offer.id ? view.failure : undefined;
  return html`<section class="card" aria-labelledby="${headingId}">
<h2 id="${headingId}">${offer.name}</h2>
<p><span class="badge badge-${statusTones[offer.status] ?? "off"}">${statusWords[offer.status] ?? offer.status}</span></p>
<dl class="facts">
<dt>Offer</dt><dd>${offer.offerDisplayName} by ${offer.publisherId}</dd>
<dt>Accept by</dt><dd>${dayText(offer.acceptBy)}</dd>
<dt>Valid</dt><dd>${dayText(offer.validFrom)} to ${dayText(offer.validTo)}</dd>
${offer.acceptedAt ? html`<dt>Accepted</dt><dd>${dayText(offer.acceptedAt)}</dd>` : ""}
</dl>
${offer.plans.map(
  (plan) => html`<h3>${plan.displayName}${plan.discountPercent ? `: ${plan.discountPercent}% off` : ""}</h3>
<ul class="prices">${plan.billingTerms.map(
    (term) =>
      html`<li>${priceText({ ...term, price: term.privatePrice }, false)} <span class="muted">(list price ${money(term.listPrice, term.currency)})</span></li>`,
  )}</ul>`,
)}
${failure ? problemSummary("The offer was not accepted", [failure.message]) : ""}
${
  offer.status === "pending"
    ? html`<form method="post" action="${storePaths.privateOffers}/${encodeURIComponent(offer.id)}/accept" class="actions">
${csrfInput(view.signedIn.csrfToken)}
<button type="submit">Accept ${offer.name}</button>
</form>`
    : ""
}
</section>`;
}
