import { html, raw, type SafeHtml } from "../../../http/html.js";
import { storePaths, subscriptionPath } from "../../store/paths.js";
import type { StorePlan, StoreSubscription } from "../../store/wire.js";
import { problemSummary, textField } from "../fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../layout.js";
import { seatText } from "./prices.js";
import { subscriptionFacts } from "./subscription-facts.js";

export type ManageForm = "plan" | "seats" | "auto-renew" | "cancel";

export interface SubscriptionPageView {
  signedIn: SignedIn;
  subscription: StoreSubscription;
  /** The offer's plans this buyer may switch to (from the storefront), and whether it is per user. */
  plans: StorePlan[];
  perSeat: boolean;
  flash?: Flash | undefined;
  /** A refused change: which form, the API's message, the value entered. */
  failure?: { form: ManageForm; message: string; value: string } | undefined;
}

/** One subscription: its facts, and the buyer's changes (plan, seats, auto-renew, cancel). */
export function subscriptionPage(view: SubscriptionPageView): SafeHtml {
  const { subscription: s, signedIn } = view;
  const tenant = signedIn.persona.tenantId ?? "";
  const planName = view.plans.find((plan) => plan.planId === s.planId)?.displayName ?? s.planId;
  const mayAct = s.purchaser.tenantId === tenant;
  const pending = s.pendingOperation;
  return layout(
    { title: s.name, current: "subscriptions", signedIn, flash: view.flash, script: pending !== null },
    html`<p><a href="${storePaths.subscriptions}">Back to my subscriptions</a></p>
<section class="card" aria-labelledby="details-heading">
<h2 id="details-heading">Details</h2>
${subscriptionFacts(s, tenant, planName)}
</section>
${
  pending
    ? html`<div class="card notice" data-refresh-while-pending>
<p>A change (${pending.action ?? "change"}) is waiting for the publisher. It usually takes a few seconds. <a href="${subscriptionPath(s.id)}">Refresh</a></p>
</div>`
    : ""
}
<p id="live-status" role="status"></p>
<div id="manage">${mayAct ? manage(view, planName) : readOnly(s)}</div>`,
  );
}

function readOnly(s: StoreSubscription): SafeHtml {
  return html`<p class="card notice">A reseller (tenant ${s.purchaser.tenantId}) bought this subscription for you: ask them to change or cancel it.</p>`;
}

function failureFor(view: SubscriptionPageView, form: ManageForm) {
  return view.failure?.form === form ? view.failure : undefined;
}

function manage(view: SubscriptionPageView, planName: string): SafeHtml {
  const s = view.subscription;
  const status = s.saasSubscriptionStatus;
  if (status === "Unsubscribed") return html`<p class="card notice">This subscription is cancelled.</p>`;
  const action = (path: string) => `${subscriptionPath(s.id)}/${path}`;
  const csrf = csrfInput(view.signedIn.csrfToken);
  const others = view.plans.filter((plan) => plan.planId !== s.planId);
  const planFailure = failureFor(view, "plan");
  const seatsFailure = failureFor(view, "seats");
  const renewFailure = failureFor(view, "auto-renew");
  const cancelFailure = failureFor(view, "cancel");
  const currentPlan = view.plans.find((plan) => plan.planId === s.planId);
  const changes =
    status === "Subscribed"
      ? html`${
          others.length > 0
            ? html`<section class="card" aria-labelledby="plan-heading">
<h2 id="plan-heading">Change plan</h2>
<p>Now on ${planName}. The publisher is asked first; the change applies once it agrees.</p>
${planFailure ? problemSummary("The plan was not changed", [planFailure.message]) : ""}
<form method="post" action="${action("plan")}">
${csrf}
<div class="field">
<label for="planId">New plan</label>
${planFailure ? html`<span class="field-error" id="planId-error">${planFailure.message}</span>` : ""}
<select id="planId" name="planId"${planFailure ? html` aria-describedby="planId-error" aria-invalid="true"` : ""}>${others.map(
                (plan) =>
                  html`<option value="${plan.planId}"${plan.planId === planFailure?.value ? html` selected` : ""}>${plan.displayName}</option>`,
              )}</select>
</div>
<button type="submit">Change plan</button>
</form>
</section>`
            : ""
        }
${
  view.perSeat
    ? html`<section class="card" aria-labelledby="seats-heading">
<h2 id="seats-heading">Change seats</h2>
${seatsFailure ? problemSummary("The seats were not changed", [seatsFailure.message]) : ""}
<form method="post" action="${action("seats")}">
${csrf}
${textField({
  name: "quantity",
  label: "Seats",
  type: "number",
  value: seatsFailure?.value ?? (s.quantity === undefined ? "" : String(s.quantity)),
  hint: currentPlan?.seats ? `This plan is sold for ${seatText(currentPlan.seats)}.` : undefined,
  error: seatsFailure?.message,
  required: true,
  attributes: raw(
    currentPlan?.seats
      ? `min="${currentPlan.seats.min}" max="${currentPlan.seats.max}" step="1" inputmode="numeric"`
      : `min="1" step="1" inputmode="numeric"`,
  ),
})}
<button type="submit">Change seats</button>
</form>
</section>`
    : ""
}`
      : html`<p class="card notice">${
          status === "PendingFulfillmentStart"
            ? "The publisher has not activated this subscription yet: plan and seat changes are possible once it is active."
            : "This subscription is suspended: plan and seat changes are possible once it is active again."
        }</p>`;
  return html`${changes}
${
  status !== "PendingFulfillmentStart"
    ? html`<section class="card" aria-labelledby="renew-heading">
<h2 id="renew-heading">Auto-renew</h2>
<p>Auto-renew is <strong>${s.autoRenew ? "on" : "off"}</strong>: ${
        s.autoRenew ? "a new term starts when this one ends." : "the subscription ends with its term."
      }</p>
${renewFailure ? problemSummary("Auto-renew was not changed", [renewFailure.message]) : ""}
<form method="post" action="${action("auto-renew")}">
${csrf}
<input type="hidden" name="autoRenew" value="${s.autoRenew ? "off" : "on"}">
<button type="submit" class="secondary">Turn auto-renew ${s.autoRenew ? "off" : "on"}</button>
</form>
</section>`
    : ""
}
<section class="card" aria-labelledby="cancel-heading">
<h2 id="cancel-heading">Cancel</h2>
<p>Cancelling ends the subscription now; the publisher is told at once.</p>
${cancelFailure ? problemSummary("The subscription was not cancelled", [cancelFailure.message]) : ""}
<form method="post" action="${action("cancel")}">
${csrf}
<div class="field choice"><input type="checkbox" id="confirm" name="confirm" value="yes" required><label for="confirm">Yes, cancel ${s.name}</label></div>
<button type="submit" class="danger">Cancel subscription</button>
</form>
</section>`;
}
