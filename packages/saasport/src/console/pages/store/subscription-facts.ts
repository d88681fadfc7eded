import { html, type SafeHtml } from "../../../http/html.js";
import { dayText, paymentText, termText } from "../../format.js";
import type { StoreSubscription } from "../../store/wire.js";
import { statusBadge } from "./badges.js";

/** A subscription's term in words: "1 year (6 Dec 2026 to 5 Dec 2027), paid monthly". */
export function termSummary(subscription: StoreSubscription): string {
  const term = subscription.term;
  const dates = term?.startDate ? ` (${dayText(term.startDate)} to ${dayText(term.endDate)})` : "";
  const payment = subscription.paymentOption ? `, ${paymentText(subscription.paymentOption)}` : "";
  return `${termText(term?.termUnit)}${dates}${payment}`;
}

export function seatsText(subscription: StoreSubscription): string {
  return subscription.quantity === undefined ? "Flat rate" : String(subscription.quantity);
}

/** Who a subscription is for, when a reseller bought it. */
export function resellerNote(subscription: StoreSubscription, tenantId: string): string | undefined {
  if (subscription.purchaser.tenantId === subscription.beneficiary.tenantId) return undefined;
  return subscription.purchaser.tenantId === tenantId
    ? `Bought for the customer tenant ${subscription.beneficiary.tenantId}`
    : `Bought for you by the reseller tenant ${subscription.purchaser.tenantId}`;
}

/** The facts of one subscription (the part of the page the script refreshes). */
export function subscriptionFacts(
  subscription: StoreSubscription,
  tenantId: string,
  planName: string,
): SafeHtml {
  const note = resellerNote(subscription, tenantId);
  return html`<dl class="facts" id="subscription-summary">
<dt>Status</dt><dd>${statusBadge(subscription.saasSubscriptionStatus)}</dd>
<dt>Offer</dt><dd>${subscription.offerId} by ${subscription.publisherId}</dd>
<dt>Plan</dt><dd>${planName} (<code>${subscription.planId}</code>)</dd>
<dt>Seats</dt><dd>${seatsText(subscription)}</dd>
<dt>Term</dt><dd>${termSummary(subscription)}</dd>
<dt>Free trial</dt><dd>${subscription.isFreeTrial ? "Yes" : "No"}</dd>
<dt>Auto-renew</dt><dd>${subscription.autoRenew ? "On" : "Off"}</dd>
${note ? html`<dt>Reseller</dt><dd>${note}</dd>` : ""}
<dt>Subscription ID</dt><dd><code>${subscription.id}</code></dd>
</dl>`;
}
