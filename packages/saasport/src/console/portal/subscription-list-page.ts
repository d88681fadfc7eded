import { html, type SafeHtml } from "../../http/html.js";
import { problemSummary, textField } from "../pages/fields.js";
import { layout, type SignedIn } from "../pages/layout.js";
import { statusBadge } from "../pages/store/badges.js";
import { seatsText } from "../pages/store/subscription-facts.js";
import type { StoreSubscription } from "../store/wire.js";
import { portalPaths, portalSubscriptionPath, withQuery } from "./paths.js";
import { portalStyles } from "./styles.js";
import { timeText } from "./text.js";
import type { PartnerOffer } from "./wire.js";

export const subscriptionStatuses = ["PendingFulfillmentStart", "Subscribed", "Suspended", "Unsubscribed"];

/** The list's filters, named as GET /partner/v1/subscriptions names them. */
export const subscriptionFilterNames = ["status", "offerId", "planId", "beneficiaryTenantId"] as const;
export type SubscriptionFilters = Record<(typeof subscriptionFilterNames)[number], string>;

export interface SubscriptionListView {
  signedIn: SignedIn;
  offers: PartnerOffer[];
  subscriptions: StoreSubscription[];
  filters: SubscriptionFilters;
  /** The API's refusal of a filter, shown next to it. */
  failure?: { field: string; message: string } | undefined;
  continuationToken: string | null;
}

const statusLabels: Record<string, string> = {
  PendingFulfillmentStart: "Waiting for activation",
  Subscribed: "Active",
  Suspended: "Suspended",
  Unsubscribed: "Cancelled",
};

function select(
  name: string,
  label: string,
  selected: string,
  choices: { value: string; label: string }[],
  error: string | undefined,
): SafeHtml {
  const errorId = `${name}-error`;
  return html`<div class="field">
<label for="${name}">${label}</label>
${error ? html`<span class="field-error" id="${errorId}">${error}</span>` : ""}
<select id="${name}" name="${name}"${error ? html` aria-invalid="true" aria-describedby="${errorId}"` : ""}>
${choices.map(
  (choice) =>
    html`<option value="${choice.value}"${choice.value === selected ? html` selected` : ""}>${choice.label}</option>`,
)}
</select>
</div>`;
}

function filterForm(view: SubscriptionListView): SafeHtml {
  const { filters, failure } = view;
  const errorOf = (field: string) => (failure?.field === field ? failure.message : undefined);
  return html`<form method="get" action="${portalPaths.subscriptions}" class="card" aria-labelledby="filter-heading">
<h2 id="filter-heading">Filter</h2>
${failure ? problemSummary("The filter was not applied", [failure.message]) : ""}
<div class="filters">
${select(
  "status",
  "Status",
  filters.status,
  [
    { value: "", label: "Any status" },
    ...subscriptionStatuses.map((status) => ({ value: status, label: statusLabels[status] ?? status })),
  ],
  errorOf("status"),
)}
${select(
  "offerId",
  "Offer",
  filters.offerId,
  [
    { value: "", label: "Any offer" },
    ...view.offers.map((offer) => ({ value: offer.id, label: offer.displayName })),
  ],
  errorOf("offerId"),
)}
${textField({
  name: "planId",
  label: "Plan ID",
  value: filters.planId,
  hint: "A plan id, such as starter.",
  error: errorOf("planId"),
  autocomplete: "off",
})}
${textField({
  name: "beneficiaryTenantId",
  label: "Buyer tenant",
  value: filters.beneficiaryTenantId,
  hint: "The tenant id (GUID) the subscription is for.",
  error: errorOf("beneficiaryTenantId"),
  autocomplete: "off",
})}
<button type="submit">Filter</button>
</div>
</form>`;
}

/** The publisher's subscriptions (GET /partner/v1/subscriptions), filtered, one page at a time. */
export function subscriptionListPage(view: SubscriptionListView): SafeHtml {
  const next = view.continuationToken;
  return layout(
    { title: "Subscriptions", current: "portal-subscriptions", signedIn: view.signedIn },
    html`${portalStyles()}
${filterForm(view)}
${
  view.subscriptions.length === 0
    ? html`<p class="card notice">No subscriptions match.</p>`
    : html`<table>
<caption>Subscriptions (${view.subscriptions.length}${next ? " shown, more on the next page" : ""})</caption>
<thead><tr><th scope="col">Subscription</th><th scope="col">Offer and plan</th><th scope="col">Status</th><th scope="col">Buyer tenant</th><th scope="col" class="number">Seats</th><th scope="col">Created</th></tr></thead>
<tbody>${view.subscriptions.map(
        (s) => html`<tr>
<td data-label="Subscription"><a href="${portalSubscriptionPath(s.id)}">${s.name}</a></td>
<td data-label="Offer and plan">${s.offerId} · ${s.planId}</td>
<td data-label="Status">${statusBadge(s.saasSubscriptionStatus)}</td>
<td data-label="Buyer tenant"><code>${s.beneficiary.tenantId}</code></td>
<td data-label="Seats" class="number">${seatsText(s)}</td>
<td data-label="Created">${timeText(s.created)}</td>
</tr>`,
      )}</tbody>
</table>`
}
${
  next
    ? html`<p><a href="${withQuery(portalPaths.subscriptions, { ...view.filters, continuationToken: next })}">Next page</a></p>`
    : ""
}`,
  );
}
