import { html, type SafeHtml } from "../../../http/html.js";
import { money, priceText } from "../../format.js";
import type { BillingTerm, PlanPrivateOffer, StorePlan } from "../../store/wire.js";

/** The private price of an accepted private offer, in words: "20% off" or "$30.00 per payment". */
export function privatePriceText(offer: PlanPrivateOffer, perSeat: boolean): string {
  const from = offer.name ? ` (private offer “${offer.name}”)` : "";
  if (offer.discountPercent) return `Private price: ${offer.discountPercent}% off the list price${from}`;
  if (offer.pricePerPayment) {
    const price = money(offer.pricePerPayment, offer.currency ?? "");
    return `Private price: ${price}${perSeat ? " per seat" : ""} per payment${from}`;
  }
  return `Private price${from}`;
}

export function termLabel(term: BillingTerm, perSeat: boolean): string {
  return priceText(term, perSeat);
}

/** A plan's prices, one line per term and payment option. */
export function priceList(plan: StorePlan, perSeat: boolean): SafeHtml {
  return html`<ul class="prices">${plan.billingTerms.map(
    (term) => html`<li>${termLabel(term, perSeat)}</li>`,
  )}${
    plan.meteringDimensions.length > 0
      ? html`<li class="muted">Plus metered usage: ${plan.meteringDimensions.map((dimension) => dimension.displayName).join(", ")}</li>`
      : ""
  }${
    plan.privateOffer
      ? html`<li class="price-private">${privatePriceText(plan.privateOffer, perSeat)}</li>`
      : ""
  }</ul>`;
}

/** Seat limits in words: "5 to 1,000 seats". */
export function seatText(seats: { min: number; max: number } | null): string {
  if (!seats) return "Flat rate: no seat count";
  const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${grouped(seats.min)} to ${grouped(seats.max)} seats`;
}
