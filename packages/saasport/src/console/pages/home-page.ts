import { html, type SafeHtml } from "../../http/html.js";
import { layout, type SignedIn } from "./layout.js";

/** `/`: what Saasport is, and the way in. */
export function homePage(signedIn: SignedIn | undefined, home: string): SafeHtml {
  return layout(
    { title: "Saasport", current: "home", signedIn },
    html`<p class="lead">A self-hostable SaaS marketplace. It speaks the Azure Marketplace SaaS Fulfillment and Metering APIs on the wire, with an Entra-compatible token service beside them, so an ISV's unmodified marketplace integration runs against it by changing base URLs only.</p>
<div class="grid">
<section class="card" aria-labelledby="buyers">
<h2 id="buyers">Buyers and resellers</h2>
<p>Browse offers and plans, buy them for your tenant or a customer's, configure the account on the publisher's site, then manage subscriptions, invoices and private offers.</p>
<p class="actions">${
      signedIn
        ? html`<a class="button" href="${home}">Continue as ${signedIn.persona.displayName}</a>`
        : html`<a class="button" href="/console/sign-in">Sign in</a>`
    }</p>
</section>
<section class="card" aria-labelledby="builders">
<h2 id="builders">Publishers' apps</h2>
<p>Point the app's marketplace API base at <code>/api</code> and its authority host at this server: resolve, activate, webhooks, metering and a clock that moves on demand.</p>
<p class="actions"><a class="button button-secondary" href="/docs">API reference</a></p>
</section>
</div>`,
  );
}
