import { html, type SafeHtml } from "../../http/html.js";
import { type FieldErrors, problemSummary, textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { portalPaths } from "./paths.js";
import { portalStyles } from "./styles.js";
import { timeText } from "./text.js";
import type { TechnicalConfiguration, WebhookSecret } from "./wire.js";

export const configurationFields = [
  { name: "landingPageUrl", label: "Landing page URL", hint: "Buyers are sent here with a purchase token." },
  { name: "webhookUrl", label: "Webhook URL", hint: "Saasport posts subscription changes here." },
  { name: "tenantId", label: "Tenant ID", hint: "Your Entra tenant (a GUID)." },
  { name: "appId", label: "App ID", hint: "Your Entra app registration's client id (a GUID)." },
] as const;

export type ConfigurationField = (typeof configurationFields)[number]["name"];

export interface SettingsPageView {
  signedIn: SignedIn;
  configuration: TechnicalConfiguration;
  /** The values entered when a change was refused. */
  entered?: Partial<Record<ConfigurationField, string>> | undefined;
  errors?: FieldErrors | undefined;
  summary?: string[] | undefined;
  secrets: WebhookSecret[];
  /** A secret just created: shown this once. */
  createdSecret?: { id: string; secret: string } | undefined;
  secretProblem?: string | undefined;
  flash?: Flash | undefined;
}

/** The technical configuration (read and change) and the webhook signing secrets (create, retire). */
export function settingsPage(view: SettingsPageView): SafeHtml {
  const csrf = csrfInput(view.signedIn.csrfToken);
  const errors = view.errors ?? {};
  const active = view.secrets.filter((secret) => secret.retiredAt === null);
  const retired = view.secrets.filter((secret) => secret.retiredAt !== null);
  return layout(
    {
      title: "Technical configuration",
      current: "portal-settings",
      signedIn: view.signedIn,
      flash: view.flash,
    },
    html`${portalStyles()}
<section class="card" aria-labelledby="configuration-heading">
<h2 id="configuration-heading">Technical configuration</h2>
${problemSummary("The configuration was not changed", view.summary ?? [])}
<form method="post" action="${portalPaths.settings}" novalidate>
${csrf}
${configurationFields.map((field) =>
  textField({
    name: field.name,
    label: field.label,
    hint: field.hint,
    value: view.entered?.[field.name] ?? view.configuration[field.name],
    error: errors[field.name],
    required: true,
  }),
)}
<button type="submit">Save configuration</button>
</form>
</section>
<section class="card" aria-labelledby="secrets-heading">
<h2 id="secrets-heading">Webhook signing secrets</h2>
<p>With a secret, every webhook call carries an <code>x-saasport-signature</code> header your app can check.</p>
${
  view.createdSecret
    ? html`<div class="card success" role="status"><p>New secret <code>${view.createdSecret.id}</code>. Copy it now: it is not shown again.</p>
<p><code class="secret" id="created-secret">${view.createdSecret.secret}</code></p></div>`
    : ""
}
${view.secretProblem ? problemSummary("No secret was created", [view.secretProblem]) : ""}
${
  active.length === 0
    ? html`<p class="muted">No active secret: webhook calls are not signed.</p>`
    : html`<table>
<caption>Active secrets</caption>
<thead><tr><th scope="col">Secret</th><th scope="col">Created</th><th scope="col">Action</th></tr></thead>
<tbody>${active.map(
        (secret) => html`<tr>
<td data-label="Secret"><code>${secret.id}</code></td>
<td data-label="Created">${timeText(secret.createdAt)}</td>
<td data-label="Action"><form method="post" action="${portalPaths.settings}/secrets/${encodeURIComponent(secret.id)}/retire">${csrf}<button type="submit" class="danger" aria-label="Retire secret ${secret.id}">Retire</button></form></td>
</tr>`,
      )}</tbody>
</table>`
}
${retired.length > 0 ? html`<p class="muted">${retired.length} retired secret(s).</p>` : ""}
<form method="post" action="${portalPaths.settings}/secrets" class="actions">
${csrf}
<button type="submit" class="secondary">Create a signing secret</button>
</form>
</section>`,
  );
}
