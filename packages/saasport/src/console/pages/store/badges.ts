import { html, type SafeHtml } from "../../../http/html.js";
import { statusText, statusTone } from "../../format.js";
import type { StoreOffer, StorePlan } from "../../store/wire.js";

export function badge(kind: string, text: string): SafeHtml {
  return html`<li><span class="badge badge-${kind}">${text}</span></li>`;
}

/** The badges of a plan: free trial, private plan, private price. */
export function planBadges(plan: StorePlan): SafeHtml {
  const items = [
    plan.hasFreeTrial ? badge("trial", "Free trial") : "",
    plan.isPrivate ? badge("private", "Private plan") : "",
    plan.privateOffer ? badge("private", "Private price") : "",
  ].filter((item) => item !== "");
  return items.length === 0 ? html`` : html`<ul class="badges" aria-label="About this plan">${items}</ul>`;
}

/** The badges of an offer: its pricing model, preview. */
export function offerBadges(offer: StoreOffer): SafeHtml {
  return html`<ul class="badges" aria-label="About this offer">${[
    offer.pricingModel === "perUser" ? badge("seat", "Per user") : badge("seat", "Flat rate"),
    offer.isPreview ? badge("preview", "Preview") : "",
  ]}</ul>`;
}

/** A subscription's, invoice's or private offer's status as a coloured badge with words. */
export function statusBadge(status: string): SafeHtml {
  return html`<span class="badge badge-${statusTone(status)}">${statusText(status)}</span>`;
}
