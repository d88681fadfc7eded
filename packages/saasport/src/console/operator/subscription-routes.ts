import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import type { ConsoleDeps } from "../deps.js";
import { dayText, paymentText, termText } from "../format.js";
import { formBodyLimit } from "../forms.js";
import { type Flash, layout, type SignedIn } from "../pages/layout.js";
import { statusBadge } from "../pages/store/badges.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal } from "../store/api-errors.js";
import { operatorOf } from "./guard.js";
import { buttonForm, instantText, operatorPaths, selectField, subscriptionPagePath } from "./ui.js";
import type { ChangeAnswer, OperatorSubscription, SubscriptionPage } from "./wire.js";

type Params = { subscriptionId: string };

export const subscriptionStatuses = [
  { value: "", label: "Any status" },
  { value: "PendingFulfillmentStart", label: "Waiting for activation" },
  { value: "Subscribed", label: "Active (Subscribed)" },
  { value: "Suspended", label: "Suspended" },
  { value: "Unsubscribed", label: "Cancelled (Unsubscribed)" },
] as const;

const outcomes: Record<string, Flash> = {
  "payment-failed": { tone: "success", text: "Payment failure reported: the subscription is suspended." },
  "payment-recovered": {
    tone: "success",
    text: "Payment recovery reported: the subscription is reinstated.",
  },
  renew: { tone: "success", text: "The subscription was renewed now." },
  requested: {
    tone: "notice",
    text: "Sent: the publisher is asked to acknowledge; this page shows the outcome once it is done.",
  },
};

/** The billing events the page can report; it shows those the API says apply to the subscription now. */
const billingEventButtons = [
  { path: "payment-failed", label: "Payment failed", tone: "danger" },
  { path: "payment-recovered", label: "Payment recovered", tone: "secondary" },
  { path: "renew", label: "Renew now", tone: "secondary" },
] as const;

function billingEventsHint(events: readonly (typeof billingEventButtons)[number][]): string {
  const paths = events.map((event) => event.path as string);
  const payment = paths.includes("payment-failed")
    ? "Report a failed payment"
    : paths.includes("payment-recovered")
      ? "Report that the payment went through after all"
      : undefined;
  const renew = paths.includes("renew") ? "renew the term now instead of at its end" : undefined;
  const text = [payment, renew].filter(Boolean).join(", or ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function noBillingEvents(status: string): string {
  if (status === "Unsubscribed") {
    return "The subscription is cancelled: there are no billing events to report and it cannot be renewed.";
  }
  if (status === "PendingFulfillmentStart") {
    return "The subscription is waiting for activation: billing events apply once it is active.";
  }
  return `No billing event applies to a ${status} subscription.`;
}

const transitionNames: Record<string, string> = {
  renew: "Renews",
  expire: "Ends",
  convertTrial: "Trial converts",
  expirePending: "Purchase expires unless activated",
  endGrace: "Grace period ends (cancelled)",
};

function statusChoice(value: string | undefined): string {
  return value ?? "";
}

function subscriptionsPage(
  signedIn: SignedIn,
  status: string,
  found: SubscriptionPage | undefined,
  error: string | undefined,
): SafeHtml {
  const rows = found?.subscriptions ?? [];
  return layout(
    { title: "Subscriptions", current: "operator-subscriptions", signedIn },
    html`<form method="get" action="${operatorPaths.subscriptions}" class="card filters">
${selectField({ name: "status", label: "Status", choices: subscriptionStatuses, value: status, error })}
<button type="submit" class="secondary">Show</button>
</form>
${
  rows.length === 0
    ? html`<p class="card notice">No subscription${status ? " with this status" : ""} yet.</p>`
    : html`<table>
<caption class="visually-hidden">Subscriptions, oldest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Offer and plan</th><th scope="col">Status</th><th scope="col">Term ends</th><th scope="col">Next</th><th scope="col">Buyer tenant</th></tr></thead>
<tbody>${rows.map(
        (row) => html`<tr>
<td data-label="Name"><a href="${subscriptionPagePath(row.id)}">${row.name || row.id}</a></td>
<td data-label="Offer and plan">${row.publisherId} · ${row.offerId} · ${row.planId}</td>
<td data-label="Status">${statusBadge(row.saasSubscriptionStatus)}</td>
<td data-label="Term ends">${dayText(row.term.endDate)}</td>
<td data-label="Next">${row.nextTransition ? html`${transitionNames[row.nextTransition.kind] ?? row.nextTransition.kind} ${dayText(row.nextTransition.at)}` : "–"}</td>
<td data-label="Buyer tenant"><code>${row.beneficiary.tenantId}</code></td>
</tr>`,
      )}</tbody>
</table>`
}
${
  found?.nextAfter
    ? html`<p><a href="${operatorPaths.subscriptions}?${new URLSearchParams({ ...(status ? { status } : {}), after: found.nextAfter }).toString()}">Next page</a></p>`
    : ""
}`,
  );
}

function subscriptionPage(
  signedIn: SignedIn,
  subscription: OperatorSubscription,
  flash: Flash | undefined,
  problem: string | undefined,
): SafeHtml {
  const action = (path: string) => `${subscriptionPagePath(subscription.id)}/${path}`;
  const pending = subscription.pendingOperation;
  const events = billingEventButtons.filter((event) =>
    subscription.allowedBillingEvents.includes(event.path),
  );
  return layout(
    { title: subscription.name || "Subscription", current: "operator-subscriptions", signedIn, flash },
    html`<p><a href="${operatorPaths.subscriptions}">Back to subscriptions</a></p>
<section class="card" aria-labelledby="subscription-facts">
<h2 id="subscription-facts">Details</h2>
<dl class="facts">
<dt>Status</dt><dd id="subscription-status">${statusBadge(subscription.saasSubscriptionStatus)}</dd>
<dt>Publisher</dt><dd>${subscription.publisherId}</dd>
<dt>Offer</dt><dd>${subscription.offerId}</dd>
<dt>Plan</dt><dd>${subscription.planId}</dd>
${subscription.quantity === undefined ? "" : html`<dt>Seats</dt><dd>${String(subscription.quantity)}</dd>`}
<dt>Term</dt><dd>${termText(subscription.term.termUnit)}${subscription.paymentOption ? `, ${paymentText(subscription.paymentOption)}` : ""}</dd>
<dt>Term dates</dt><dd>${dayText(subscription.term.startDate)} to ${dayText(subscription.term.endDate)}</dd>
<dt>Auto-renew</dt><dd>${subscription.autoRenew ? "On" : "Off"}</dd>
<dt>Next</dt><dd>${subscription.nextTransition ? html`${transitionNames[subscription.nextTransition.kind] ?? subscription.nextTransition.kind} at ${instantText(subscription.nextTransition.at)}` : "Nothing is scheduled"}</dd>
${subscription.suspended ? html`<dt>Suspended</dt><dd>${instantText(subscription.suspended)}</dd>` : ""}
${pending ? html`<dt>Waiting for the publisher</dt><dd>${pending.action} (${pending.status})</dd>` : ""}
<dt>Buyer</dt><dd>${subscription.beneficiary.emailId} (tenant <code>${subscription.beneficiary.tenantId}</code>)</dd>
<dt>Channel</dt><dd>${subscription.channel}</dd>
<dt>Clock</dt><dd>${subscription.testClock ? `Test clock ${subscription.testClock}` : "Global clock"}</dd>
<dt>Subscription ID</dt><dd><code>${subscription.id}</code></dd>
</dl>
</section>
<section class="card" aria-labelledby="billing-events">
<h2 id="billing-events">Billing events</h2>
${problem ? html`<p class="card problem" role="alert">${problem}</p>` : ""}
${
  events.length === 0
    ? html`<p id="no-billing-events">${noBillingEvents(subscription.saasSubscriptionStatus)}</p>`
    : html`<p>${billingEventsHint(events)}</p>
<div class="actions">
${events.map((event) => buttonForm(signedIn, action(event.path), event.label, { tone: event.tone }))}
</div>`
}
</section>
<p><a href="${operatorPaths.events}?subscriptionId=${subscription.id}">Events of this subscription</a></p>`,
  );
}

const subscriptionApi = (id: string) => `/operator/v1/subscriptions/${encodeURIComponent(id)}`;

/** Every subscription, one subscription, and the billing events the operator reports on it. */
export function registerSubscriptionRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: { status?: string; after?: string } }>("/subscriptions", async (request, reply) => {
    const { persona, signedIn } = operatorOf(request);
    const status = statusChoice(request.query.status);
    const query = new URLSearchParams({
      ...(status ? { status } : {}),
      ...(request.query.after ? { after: request.query.after } : {}),
    }).toString();
    try {
      const { body } = await deps.api.call<SubscriptionPage>(
        persona,
        "GET",
        `/operator/v1/subscriptions${query ? `?${query}` : ""}`,
      );
      return sendPage(reply, 200, subscriptionsPage(signedIn, status, body, undefined));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const message = `Choose one of the statuses listed (the API said: ${error.message})`;
      return sendPage(reply, error.status, subscriptionsPage(signedIn, status, undefined, message));
    }
  });

  async function show(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    status: number,
    flash: Flash | undefined,
    problem: string | undefined,
  ) {
    const { persona, signedIn } = operatorOf(request);
    const { body } = await deps.api.call<OperatorSubscription>(
      persona,
      "GET",
      subscriptionApi(request.params.subscriptionId),
    );
    return sendPage(reply, status, subscriptionPage(signedIn, body, flash, problem));
  }

  app.get<{ Params: Params; Querystring: { done?: string } }>(
    "/subscriptions/:subscriptionId",
    async (request, reply) => show(request, reply, 200, outcomes[request.query.done ?? ""], undefined),
  );

  for (const event of ["payment-failed", "payment-recovered", "renew"]) {
    app.post<{ Params: Params }>(
      `/subscriptions/:subscriptionId/${event}`,
      { bodyLimit: formBodyLimit },
      async (request, reply) => {
        const { persona } = operatorOf(request);
        try {
          const { body } = await deps.api.call<ChangeAnswer>(
            persona,
            "POST",
            `${subscriptionApi(request.params.subscriptionId)}/${event}`,
          );
          const done = body.operationStatus === "InProgress" ? "requested" : event;
          return seeOther(reply, `${subscriptionPagePath(request.params.subscriptionId)}?done=${done}`);
        } catch (error) {
          if (!isRefusal(error) || error.status === 404) throw error;
          return show(request, reply, error.status, undefined, error.message);
        }
      },
    );
  }
}
