import { html, type SafeHtml } from "../../http/html.js";
import { assetUrls } from "../assets/routes.js";
import { operatorNav } from "../operator/register.js";
import { portalNav } from "../portal/register.js";
import { csrfField } from "../sessions/csrf.js";
import { isShopper, type Persona, personaKindLabels } from "../sessions/persona.js";

/** Where a page sits in the navigation (marked aria-current). */
export type NavKey =
  | "home"
  | "store"
  | "subscriptions"
  | "invoices"
  | "private-offers"
  | "sign-in"
  | "console";

/** The signed-in persona as every page shows it. */
export interface SignedIn {
  persona: Persona;
  csrfToken: string;
}

export interface Flash {
  tone: "success" | "notice" | "problem";
  text: string;
}

export interface PageFrame {
  title: string;
  signedIn?: SignedIn | undefined;
  current?: NavKey | string | undefined;
  /** A one-line outcome shown above the page (after a form succeeded, say). */
  flash?: Flash | undefined;
  /** Pages that refresh parts of themselves load the console script. */
  script?: boolean;
}

export interface NavItem {
  key: NavKey | string;
  href: string;
  label: string;
}

function navItems(persona: Persona | undefined): NavItem[] {
  if (!persona) {
    return [
      { key: "home", href: "/", label: "Home" },
      { key: "sign-in", href: "/console/sign-in", label: "Sign in" },
    ];
  }
  if (isShopper(persona)) {
    return [
      { key: "store", href: "/console/store", label: "Storefront" },
      { key: "subscriptions", href: "/console/store/subscriptions", label: "My subscriptions" },
      { key: "invoices", href: "/console/store/invoices", label: "Invoices" },
      { key: "private-offers", href: "/console/store/private-offers", label: "Private offers" },
    ];
  }
  return persona.kind === "publisher" ? portalNav : operatorNav;
}

/** A hidden field with the session's anti-forgery token: every form of a signed-in page has one. */
export function csrfInput(token: string): SafeHtml {
  return html`<input type="hidden" name="${csrfField}" value="${token}">`;
}

/**
 * The frame of every console page: a skip link, the banner with the navigation and the signed-in
 * persona, the main landmark (the skip link's target) and a footer.
 */
export function layout(frame: PageFrame, body: SafeHtml): SafeHtml {
  const persona = frame.signedIn?.persona;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Saasport</title>
<link rel="icon" href="${assetUrls.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrls.stylesheet}">
${frame.script ? html`<script src="${assetUrls.script}" defer></script>` : ""}
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<div class="bar">
<a class="brand" href="/">Saasport</a>
<nav class="site-nav" aria-label="Main">
<ul>${navItems(persona).map(
    (item) =>
      html`<li><a href="${item.href}"${item.key === frame.current ? html` aria-current="page"` : ""}>${item.label}</a></li>`,
  )}</ul>
</nav>
${frame.signedIn ? whoBlock(frame.signedIn) : ""}
</div>
</header>
<main id="main" tabindex="-1">
${frame.flash ? html`<p class="card ${frame.flash.tone}" role="status">${frame.flash.text}</p>` : ""}
<h1>${frame.title}</h1>
${body}
</main>
<footer class="site-footer">
<p>Saasport: a self-hostable SaaS marketplace that speaks the Azure Marketplace SaaS Fulfillment and Metering APIs. <a href="/docs">API reference</a></p>
</footer>
</body>
</html>
`;
}

function whoBlock(signedIn: SignedIn): SafeHtml {
  const { persona } = signedIn;
  return html`<div class="who">
<span>Signed in as <strong>${persona.displayName}</strong> (${personaKindLabels[persona.kind].toLowerCase()})</span>
<form method="post" action="/console/sign-out">${csrfInput(signedIn.csrfToken)}<button type="submit">Sign out</button></form>
</div>`;
}

/** A page that only says something: an error, a refusal, a "coming later". */
export function messagePage(
  frame: PageFrame,
  tone: "notice" | "problem",
  message: string | SafeHtml,
  next?: { href: string; label: string },
): SafeHtml {
  return layout(
    frame,
    html`<div class="card ${tone}"><p>${message}</p>${
      next ? html`<p><a href="${next.href}">${next.label}</a></p>` : ""
    }</div>`,
  );
}
