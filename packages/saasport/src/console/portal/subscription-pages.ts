import { html, type SafeHtml } from "../../http/html.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { statusBadge } from "../pages/store/badges.js";
import { seatsText, termSummary } from "../pages/store/subscription-facts.js";
import type { StoreSubscription } from "../store/wire.js";
import { portalPaths, redeliverPath } from "./paths.js";
import { portalStyles } from "./styles.js";
import { jsonText, timeText } from "./text.js";
import type { DeliveryDetail, PartnerEvent } from "./wire.js";

export interface SubscriptionDetailView {
  signedIn: SignedIn;
  subscription: StoreSubscription;
  events: PartnerEvent[];
  deliveries: DeliveryDetail[];
  flash?: Flash | undefined;
}

/** One subscription: its facts, its event timeline and its webhook deliveries (with redelivery). */
export function subscriptionDetailPage(view: SubscriptionDetailView): SafeHtml {
  const { subscription: s } = view;
  return layout(
    { title: s.name, current: "portal-subscriptions", signedIn: view.signedIn, flash: view.flash },
    html`${portalStyles()}
<p><a href="${portalPaths.subscriptions}">Back to subscriptions</a></p>
<section class="card" aria-labelledby="details-heading">
<h2 id="details-heading">Details</h2>
<dl class="facts">
<dt>Status</dt><dd>${statusBadge(s.saasSubscriptionStatus)}</dd>
<dt>Offer</dt><dd>${s.offerId}</dd>
<dt>Plan</dt><dd><code>${s.planId}</code></dd>
<dt>Seats</dt><dd>${seatsText(s)}</dd>
<dt>Term</dt><dd>${termSummary(s)}</dd>
<dt>Buyer tenant</dt><dd><code>${s.beneficiary.tenantId}</code>${s.beneficiary.emailId ? ` (${s.beneficiary.emailId})` : ""}</dd>
${
  s.purchaser.tenantId !== s.beneficiary.tenantId
    ? html`<dt>Bought by</dt><dd>the reseller tenant <code>${s.purchaser.tenantId}</code></dd>`
    : ""
}
<dt>Subscription ID</dt><dd><code>${s.id}</code></dd>
</dl>
</section>
<section aria-labelledby="timeline-heading">
<h2 id="timeline-heading">Timeline</h2>
${
  view.events.length === 0
    ? html`<p class="card notice">No events yet.</p>`
    : html`<table id="timeline">
<caption class="visually-hidden">Events of this subscription, oldest first</caption>
<thead><tr><th scope="col" class="number">#</th><th scope="col">When</th><th scope="col">Event</th><th scope="col">By</th><th scope="col">Details</th></tr></thead>
<tbody>${view.events.map(
        (event) => html`<tr>
<td data-label="#" class="number">${event.seq}</td>
<td data-label="When">${timeText(event.occurredAt)}</td>
<td data-label="Event">${event.type}</td>
<td data-label="By">${event.actor}</td>
<td data-label="Details"><details><summary>Data<span class="visually-hidden"> of event ${event.seq}</span></summary><pre class="payload">${jsonText(event.data)}</pre></details></td>
</tr>`,
      )}</tbody>
</table>`
}
</section>
<section aria-labelledby="deliveries-heading">
<h2 id="deliveries-heading">Webhook deliveries</h2>
${
  view.deliveries.length === 0
    ? html`<p class="card notice">No webhook was sent for this subscription yet.</p>`
    : view.deliveries.map((delivery) => deliveryCard(view, delivery))
}
</section>`,
  );
}

const deliveryTones: Record<string, string> = {
  delivered: "good",
  pending: "wait",
  rejected: "bad",
  failed: "bad",
};

function deliveryCard(view: SubscriptionDetailView, d: DeliveryDetail): SafeHtml {
  const headingId = `delivery-${d.id}`;
  return html`<article class="card delivery" aria-labelledby="${headingId}" data-delivery-id="${d.id}">
<h3 id="${headingId}">${d.action} (event #${d.seq})</h3>
<dl class="facts">
<dt>Status</dt><dd><span class="badge badge-${deliveryTones[d.status] ?? "off"}">${d.status}</span></dd>
<dt>Attempts</dt><dd>${d.attempts}</dd>
<dt>Created</dt><dd>${timeText(d.createdAt)}</dd>
<dt>Last answer</dt><dd>${d.lastStatusCode === null ? "–" : `HTTP ${d.lastStatusCode}`}${d.lastError ? ` (${d.lastError})` : ""}</dd>
${d.nextAttemptAt ? html`<dt>Next attempt</dt><dd>${timeText(d.nextAttemptAt)}</dd>` : ""}
${d.redeliveryOf ? html`<dt>Redelivery of</dt><dd><code>${d.redeliveryOf}</code></dd>` : ""}
<dt>Delivery ID</dt><dd><code>${d.id}</code></dd>
</dl>
<details><summary>Payload<span class="visually-hidden"> of delivery ${d.id}</span></summary><pre class="payload">${jsonText(d.payload)}</pre></details>
${
  d.attemptLog.length === 0
    ? html`<p class="muted">No attempt yet.</p>`
    : html`<table>
<caption>Attempts</caption>
<thead><tr><th scope="col" class="number">#</th><th scope="col">Started</th><th scope="col">Answer</th><th scope="col">Outcome</th><th scope="col">Response</th></tr></thead>
<tbody>${d.attemptLog.map(
        (attempt) => html`<tr>
<td data-label="#" class="number">${attempt.attempt}</td>
<td data-label="Started">${timeText(attempt.startedAt)} <span class="muted">(${attempt.durationMs} ms)</span></td>
<td data-label="Answer">${attempt.statusCode === null ? "No answer" : `HTTP ${attempt.statusCode}`}${attempt.error ? html`<br><span class="muted">${attempt.error}</span>` : ""}${attempt.fault ? html`<br><span class="muted">Fault: ${attempt.fault}</span>` : ""}</td>
<td data-label="Outcome">${attempt.outcome}</td>
<td data-label="Response">${attempt.responseSnippet ? html`<pre class="payload">${attempt.responseSnippet}</pre>` : "–"}</td>
</tr>`,
      )}</tbody>
</table>`
}
<form method="post" action="${redeliverPath(view.subscription.id, d.id)}" class="actions">
${csrfInput(view.signedIn.csrfToken)}
<button type="submit" class="secondary" aria-describedby="${headingId}">Redeliver</button>
</form>
</article>`;
}
