import { html, type SafeHtml } from "../../../http/html.js";
import { storePaths, subscriptionPath } from "../../store/paths.js";
import type { StoreSubscription } from "../../store/wire.js";
import { layout, type SignedIn } from "../layout.js";
import { statusBadge } from "./badges.js";
import { resellerNote, seatsText, termSummary } from "./subscription-facts.js";

/** My subscriptions: what the tenant bought or benefits from. */
export function subscriptionsPage(signedIn: SignedIn, subscriptions: StoreSubscription[]): SafeHtml {
  const tenant = signedIn.persona.tenantId ?? "";
  return layout(
    { title: "My subscriptions", current: "subscriptions", signedIn },
    subscriptions.length === 0
      ? html`<p class="card notice">You have no subscriptions yet. <a href="${storePaths.offers}">Browse the storefront</a>.</p>`
      : html`<table>
<caption class="visually-hidden">Your subscriptions, newest first</caption>
<thead><tr><th scope="col">Subscription</th><th scope="col">Offer and plan</th><th scope="col">Status</th><th scope="col">Term</th><th scope="col" class="number">Seats</th><th scope="col">Auto-renew</th></tr></thead>
<tbody>${subscriptions.map((subscription) => {
          const note = resellerNote(subscription, tenant);
          return html`<tr>
<td data-label="Subscription"><a href="${subscriptionPath(subscription.id)}">${subscription.name}</a>${
            note ? html`<br><span class="muted">${note}</span>` : ""
          }</td>
<td data-label="Offer and plan">${subscription.offerId} · ${subscription.planId}</td>
<td data-label="Status">${statusBadge(subscription.saasSubscriptionStatus)}</td>
<td data-label="Term">${termSummary(subscription)}</td>
<td data-label="Seats" class="number">${seatsText(subscription)}</td>
<td data-label="Auto-renew">${subscription.autoRenew ? "On" : "Off"}</td>
</tr>`;
        })}</tbody>
</table>`,
  );
}
