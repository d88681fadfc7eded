import { baseUrlPlaceholder } from "../../catalog/reference-data.js";
import { html, type SafeHtml } from "../../http/html.js";
import { type FieldErrors, problemSummary, textField } from "../pages/fields.js";
import { csrfInput, layout, type SignedIn } from "../pages/layout.js";
import { buttonForm, operatorPaths } from "./ui.js";
import type { PublisherView } from "./wire.js";

/** POST /operator/v1/publishers answers the publisher, and the client secret it generated (shown once). */
export interface CreatedPublisher {
  publisher: PublisherView;
  clientSecret?: string;
}

/** POST /operator/v1/publishers/{id}/secrets answers the secret this once. */
export interface CreatedSecret {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  hint: string;
}

/** The fields of the create form, as entered: those of a publisher. */
export type PublisherForm = PublisherView;

export const publisherFieldLabels: Record<keyof PublisherForm, string> = {
  id: "Publisher ID",
  displayName: "Display name (optional)",
  tenantId: "Tenant ID",
  appId: "App (client) ID",
  landingPageUrl: "Landing page URL",
  webhookUrl: "Webhook URL",
};

const fieldHints: Record<keyof PublisherForm, string> = {
  id: "1 to 50 characters: lowercase letters, digits, '.', '-' and '_'.",
  displayName: "What buyers see; the ID when left empty.",
  tenantId: "The Entra tenant of the publisher's app, a GUID.",
  appId: "The client ID the app gets tokens with, a GUID.",
  landingPageUrl: `Where buyers configure their account. ${baseUrlPlaceholder} stands for this Saasport's address.`,
  webhookUrl: "Where Saasport posts subscription events.",
};

export const secretPath = (publisherId: string) =>
  `${operatorPaths.publishers}/${encodeURIComponent(publisherId)}/secrets`;

export interface PublishersView {
  signedIn: SignedIn;
  publishers: PublisherView[];
  /** A publisher just created, with its generated secret: shown this once. */
  created?: CreatedPublisher | undefined;
  /** A client secret just created for a publisher: shown this once. */
  secret?: { publisherId: string; created: CreatedSecret } | undefined;
  form?: PublisherForm | undefined;
  errors?: FieldErrors | undefined;
  /** A refused client secret, shown above the list. */
  problem?: string | undefined;
}

function secretFacts(secret: string, tenantId: string, clientId: string): SafeHtml {
  return html`<p>Copy the client secret now: it is shown this once and never again.</p>
<dl class="facts">
<dt>Client secret</dt><dd><code id="created-secret">${secret}</code></dd>
<dt>Tenant ID</dt><dd><code>${tenantId}</code></dd>
<dt>Client ID</dt><dd><code>${clientId}</code></dd>
</dl>`;
}

function secretForm(signedIn: SignedIn, publisherId: string): SafeHtml {
  return html`<form method="post" action="${secretPath(publisherId)}" novalidate>
${csrfInput(signedIn.csrfToken)}
${textField({ name: "description", label: "Description of a new client secret (optional)", hint: "What uses the secret.", autocomplete: "off", attributes: html`maxlength="200"` })}
<button type="submit" class="secondary">Create a client secret</button>
</form>`;
}

function createdCard(signedIn: SignedIn, created: CreatedPublisher): SafeHtml {
  const { publisher } = created;
  return html`<section class="card success" id="created-publisher" aria-labelledby="created-publisher-title">
<h2 id="created-publisher-title">Publisher ${publisher.displayName} is created</h2>
<dl class="facts">
<dt>Publisher ID</dt><dd><code>${publisher.id}</code></dd>
<dt>Landing page</dt><dd>${publisher.landingPageUrl}</dd>
<dt>Webhook</dt><dd>${publisher.webhookUrl}</dd>
</dl>
${created.clientSecret ? secretFacts(created.clientSecret, publisher.tenantId, publisher.appId) : ""}
${secretForm(signedIn, publisher.id)}
</section>`;
}

function secretCard(publisherName: string, created: CreatedSecret): SafeHtml {
  return html`<section class="card success" id="created-secret-card" aria-labelledby="created-secret-title">
<h2 id="created-secret-title">New client secret ${created.hint}… for ${publisherName}</h2>
${secretFacts(created.clientSecret, created.tenantId, created.clientId)}
</section>`;
}

function publisherTable(signedIn: SignedIn, publishers: PublisherView[]): SafeHtml {
  if (publishers.length === 0) return html`<p class="card notice">No publishers yet.</p>`;
  return html`<table>
<caption class="visually-hidden">Publishers</caption>
<thead><tr><th scope="col">Publisher</th><th scope="col">ID</th><th scope="col">Tenant</th><th scope="col">Landing page</th><th scope="col">Webhook</th><th scope="col">Credentials</th></tr></thead>
<tbody>${publishers.map(
    (publisher) => html`<tr>
<td data-label="Publisher">${publisher.displayName}</td>
<td data-label="ID"><code>${publisher.id}</code></td>
<td data-label="Tenant"><code>${publisher.tenantId}</code></td>
<td data-label="Landing page">${publisher.landingPageUrl || "–"}</td>
<td data-label="Webhook">${publisher.webhookUrl || "–"}</td>
<td data-label="Credentials">${buttonForm(
      signedIn,
      secretPath(publisher.id),
      html`New client secret<span class="visually-hidden"> for ${publisher.displayName}</span>`,
      { tone: "secondary" },
    )}</td>
</tr>`,
  )}</tbody>
</table>`;
}

function createForm(view: PublishersView): SafeHtml {
  const errors = view.errors ?? {};
  const messages = Object.values(errors).filter((message): message is string => !!message);
  const field = (name: keyof PublisherForm, required: boolean) =>
    textField({
      name,
      idPrefix: "publisher-",
      label: publisherFieldLabels[name],
      hint: fieldHints[name],
      value: view.form?.[name] ?? "",
      error: errors[name],
      required,
      autocomplete: "off",
    });
  return html`<section class="card" aria-labelledby="create-publisher-title">
<h2 id="create-publisher-title">Create a publisher</h2>
${problemSummary("The publisher was not created", messages)}
<form method="post" action="${operatorPaths.publishers}" novalidate>
${csrfInput(view.signedIn.csrfToken)}
${field("id", true)}
${field("displayName", false)}
${field("tenantId", true)}
${field("appId", true)}
${field("landingPageUrl", true)}
${field("webhookUrl", true)}
<p class="muted">A client secret is generated for the new publisher's app and shown once.</p>
<button type="submit">Create the publisher</button>
</form>
</section>`;
}

function nameOf(publishers: PublisherView[], id: string): string {
  return publishers.find((publisher) => publisher.id === id)?.displayName ?? id;
}

/** The catalog's publishers, a new publisher's or secret's one-time view, and the create form. */
export function publishersPage(view: PublishersView): SafeHtml {
  return layout(
    { title: "Publishers", current: "operator-publishers", signedIn: view.signedIn },
    html`<p>The publishers of the catalog and where Saasport reaches their apps.</p>
${view.created ? createdCard(view.signedIn, view.created) : ""}
${view.secret ? secretCard(nameOf(view.publishers, view.secret.publisherId), view.secret.created) : ""}
${view.problem ? html`<p class="card problem" role="alert">${view.problem}</p>` : ""}
${publisherTable(view.signedIn, view.publishers)}
${createForm(view)}`,
  );
}
