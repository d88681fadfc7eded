import { html, type SafeHtml } from "../../http/html.js";
import { layout, type SignedIn } from "./layout.js";

/** The console's home for publishers and the operator, until their pages exist. */
export function consoleHomePage(signedIn: SignedIn, demoAppUrl: string | undefined): SafeHtml {
  const { persona } = signedIn;
  const publisher = persona.kind === "publisher";
  return layout(
    {
      title: publisher ? `${persona.displayName}: publisher portal` : "Operator console",
      current: "console",
      signedIn,
    },
    html`<p class="card notice">${
      publisher
        ? "The publisher portal's pages (offers, plans, private offers, webhook deliveries, payouts) are coming. Until then, everything is at /partner/v1 with your app's token."
        : "The operator console's pages (publishers, subscriptions, the clock, faults, invoices, payouts) are coming. Until then, everything is at /operator/v1 and in the saasport command line."
    }</p>
<ul>
<li><a href="/docs">API reference</a></li>
${demoAppUrl ? html`<li><a href="${demoAppUrl}">Your demo app's dashboard</a></li>` : ""}
</ul>`,
  );
}
