import { html, type SafeHtml } from "../../../http/html.js";
import type { Persona } from "../../sessions/persona.js";
import { planPath } from "../../store/paths.js";
import type { StoreCatalog, StoreOffer } from "../../store/wire.js";
import { layout, type SignedIn } from "../layout.js";
import { offerBadges, planBadges } from "./badges.js";
import { priceList, seatText } from "./prices.js";

/** The storefront: every offer the signed-in tenant may buy, with its plans and prices. */
export function offersPage(signedIn: SignedIn, catalog: StoreCatalog): SafeHtml {
  return layout(
    { title: "Storefront", current: "store", signedIn },
    html`<p class="lead">${intro(signedIn.persona)}</p>
${
  catalog.offers.length === 0
    ? html`<p class="card notice">There is nothing for sale yet.</p>`
    : catalog.offers.map(offerSection)
}`,
  );
}

function intro(persona: Persona): string {
  return persona.kind === "reseller"
    ? "Offers you can buy for your customers. Pick a plan, then name the customer's tenant."
    : "Offers you can buy. Prices are per payment; per-user plans are priced per seat.";
}

function offerSection(offer: StoreOffer): SafeHtml {
  const headingId = `offer-${offer.publisherId}-${offer.offerId}`;
  const perSeat = offer.pricingModel === "perUser";
  return html`<section class="offer" aria-labelledby="${headingId}">
<header>
<h2 id="${headingId}">${offer.displayName}</h2>
<p class="muted">Offer <code>${offer.offerId}</code> by ${offer.publisherId}</p>
${offerBadges(offer)}
<p>${offer.description}</p>
</header>
<ul class="grid" role="list">${offer.plans.map(
    (plan) => html`<li class="card">
<h3>${plan.displayName}</h3>
${planBadges(plan)}
<p>${plan.description}</p>
${perSeat ? html`<p class="muted">${seatText(plan.seats)}</p>` : ""}
${priceList(plan, perSeat)}
<p class="actions"><a class="button" href="${planPath(offer.publisherId, offer.offerId, plan.planId)}">Choose ${plan.displayName}<span class="visually-hidden"> of ${offer.displayName}</span></a></p>
</li>`,
  )}</ul>
</section>`;
}
