import { html, type SafeHtml } from "../../../http/html.js";
import { subscriptionPath } from "../../store/paths.js";
import type { StoreSubscription } from "../../store/wire.js";
import { layout, type SignedIn } from "../layout.js";
import { subscriptionFacts } from "./subscription-facts.js";

export interface ConfigureView {
  signedIn: SignedIn;
  subscription: StoreSubscription;
  planName: string;
  /** The publisher's landing page with the purchase token; undefined when this link cannot be read. */
  landingPageUrl: string | undefined;
}

/** After a purchase: the way to the publisher's landing page, where the account is set up. */
export function configurePage(view: ConfigureView): SafeHtml {
  const { subscription } = view;
  const pending = subscription.saasSubscriptionStatus === "PendingFulfillmentStart";
  const tenant = view.signedIn.persona.tenantId ?? "";
  return layout(
    {
      title: pending ? "Configure your account" : "Your subscription is ready",
      current: "subscriptions",
      signedIn: view.signedIn,
      flash: { tone: "success", text: `Thank you: ${subscription.name} is bought.` },
    },
    html`${
      pending
        ? view.landingPageUrl
          ? html`<section class="card notice" aria-labelledby="next-step">
<h2 id="next-step">One more step</h2>
<p>${subscription.publisherId} sets up your account on its own site. <strong>Configure account</strong> takes you to the publisher's landing page with your purchase token; the subscription starts when the publisher activates it.</p>
<p><a class="button button-large" href="${view.landingPageUrl}">Configure account</a></p>
</section>`
          : html`<p class="card problem">This page's link belongs to another sign-in. The purchase is in <a href="${subscriptionPath(subscription.id)}">your subscriptions</a>; the publisher can also send you its sign-up link.</p>`
        : html`<p class="card success">This plan starts at purchase: there is nothing to configure.</p>`
    }
<section class="card" aria-labelledby="bought">
<h2 id="bought">What you bought</h2>
${subscriptionFacts(subscription, tenant, view.planName)}
<p class="actions"><a href="${subscriptionPath(subscription.id)}">Manage this subscription</a></p>
</section>`,
  );
}
