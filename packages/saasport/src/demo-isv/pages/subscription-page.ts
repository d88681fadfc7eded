import { html, type SafeHtml } from "../../http/html.js";
import type { MarketplaceSubscription, Party } from "../wire-types.js";
import { layout, type PageFrame } from "./layout.js";

export interface LandingView {
  subscription: MarketplaceSubscription;
  /** The form to activate the subscription, when it waits for activation. */
  activation?: { action: string; csrf: string } | undefined;
  /** A one-line outcome shown above the details (after an activation, say). */
  banner?: { tone: "success" | "notice"; text: string } | undefined;
}

const statusExplanations: Record<string, string> = {
  PendingFulfillmentStart: "Purchased: waiting for this app to activate it.",
  Subscribed: "Active. You can manage it here; plan and seat changes are made in the marketplace.",
  Suspended: "Suspended by the marketplace (payment problem). Access is paused until it is reinstated.",
  Unsubscribed: "Cancelled. Nothing more can be done with it.",
};

/** The landing page (and the subscription page behind it): what was bought and what can be done. */
export function subscriptionPage(frame: PageFrame, view: LandingView): SafeHtml {
  const { subscription: s } = view;
  return layout(
    frame,
    html`${view.banner ? html`<p class="card ${view.banner.tone}" role="status">${view.banner.text}</p>` : ""}
<section class="card" aria-labelledby="purchase">
<h2 id="purchase">Your purchase</h2>
<dl>
<dt>Subscription</dt><dd>${s.name || "(no name)"} <br><code>${s.id}</code></dd>
<dt>Offer</dt><dd>${s.offerId}</dd>
<dt>Plan</dt><dd>${s.planId}</dd>
<dt>Seats</dt><dd>${s.quantity === undefined ? "Flat rate (no seat count)" : String(s.quantity)}</dd>
<dt>Buyer</dt><dd>${partyText(s.beneficiary)}</dd>
${
  s.purchaser.tenantId && s.purchaser.tenantId !== s.beneficiary.tenantId
    ? html`<dt>Purchased by</dt><dd>${partyText(s.purchaser)}</dd>`
    : ""
}
<dt>Status</dt><dd><strong>${s.status}</strong> — ${statusExplanations[s.status] ?? "Unknown status."}</dd>
<dt>Term</dt><dd>${termText(s)}</dd>
<dt>Free trial</dt><dd>${s.isFreeTrial ? "Yes" : "No"}</dd>
<dt>Auto-renew</dt><dd>${s.autoRenew ? "On" : "Off"}</dd>
</dl>
</section>
${
  view.activation
    ? html`<section class="card notice" aria-labelledby="activate">
<h2 id="activate">Activate</h2>
<p>Activating starts the subscription and its billing.</p>
<form method="post" action="${view.activation.action}">
<input type="hidden" name="csrf" value="${view.activation.csrf}">
<button type="submit">Activate</button>
</form>
</section>`
    : s.status === "Subscribed"
      ? html`<section class="card success" aria-labelledby="manage">
<h2 id="manage">Manage</h2>
<p>This subscription is active. To change the plan or the number of seats, or to cancel, use the marketplace's subscription page.</p>
</section>`
      : ""
}`,
  );
}

function partyText(party: Party): string {
  const parts = [party.emailId, party.tenantId && `tenant ${party.tenantId}`].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "(not given)";
}

function termText(s: MarketplaceSubscription): string {
  const unit = s.termUnit ?? "(unknown)";
  if (!s.startDate || !s.endDate) return `${unit}, starts when activated`;
  return `${unit}, from ${s.startDate.slice(0, 10)} to ${s.endDate.slice(0, 10)}`;
}
