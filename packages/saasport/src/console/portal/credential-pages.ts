import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import { type FieldErrors, problemSummary, textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal, readableMessage } from "../store/api-errors.js";
import { publisherOf } from "./guard.js";
import { portalStyles } from "./styles.js";
import { timeText } from "./text.js";

/** The publisher portal's page for its app's client secrets (`/partner/v1/client-secrets`). */
export const credentialsPath = "/console/portal/credentials";

/** A client secret as `/partner/v1/client-secrets` lists it (the API owns this shape). */
export interface ClientSecretSummary {
  id: string;
  hint: string;
  description: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface CreatedClientSecret extends ClientSecretSummary {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface CredentialsPageView {
  signedIn: SignedIn;
  secrets: ClientSecretSummary[];
  /** A secret just created: shown this once. */
  created?: CreatedClientSecret | undefined;
  entered?: { description: string; expiresInDays: string } | undefined;
  errors?: FieldErrors | undefined;
  /** A refused revoke, by secret id. */
  revokeErrors?: Partial<Record<string, string>> | undefined;
  flash?: Flash | undefined;
}

const outcomes: Record<string, Flash> = {
  revoked: { tone: "success", text: "The secret is revoked: the token endpoint refuses it from now on." },
};

function statusOf(secret: ClientSecretSummary, now: number): string {
  if (secret.revokedAt !== null) return "Revoked";
  if (secret.expiresAt !== null && Date.parse(secret.expiresAt) <= now) return "Expired";
  return "Active";
}

function revokeForm(secret: ClientSecretSummary, csrf: SafeHtml, error: string | undefined): SafeHtml {
  const id = `confirm-${secret.id}`;
  return html`<form method="post" action="${credentialsPath}/${encodeURIComponent(secret.id)}/revoke" novalidate>
${csrf}
<div class="field">
${error ? html`<span class="field-error" id="${id}-error">${error}</span>` : ""}
<label><input type="checkbox" id="${id}" name="confirm" value="yes"${
    error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ""
  }> Yes, revoke ${secret.hint}…</label>
</div>
<button type="submit" class="danger" aria-label="Revoke secret ${secret.hint}… ${secret.description}">Revoke</button>
</form>`;
}

/** The app's client secrets: list, create (the secret shown once), revoke (confirmed). */
export function credentialsPage(view: CredentialsPageView): SafeHtml {
  const csrf = csrfInput(view.signedIn.csrfToken);
  const errors = view.errors ?? {};
  const now = Date.now();
  const created = view.created;
  return layout(
    { title: "Credentials", current: "portal-credentials", signedIn: view.signedIn, flash: view.flash },
    html`${portalStyles()}
<section class="card" aria-labelledby="secrets-heading">
<h2 id="secrets-heading">Client secrets</h2>
<p>Your app gets tokens for the Marketplace APIs with its tenant ID, client ID and a client secret, as it does from Microsoft Entra ID.</p>
${
  created
    ? html`<div class="card success" role="status">
<p>New client secret ${created.hint}… created. Copy it now: it is shown this once and never again (select it and press Ctrl+C, or ⌘C).</p>
<p><code class="secret" id="created-secret">${created.clientSecret}</code></p>
<dl class="facts"><dt>Tenant ID</dt><dd><code>${created.tenantId}</code></dd><dt>Client ID</dt><dd><code>${created.clientId}</code></dd></dl>
</div>`
    : ""
}
${
  view.secrets.length === 0
    ? html`<p class="muted">No client secret yet.</p>`
    : html`<table>
<caption>Your app's client secrets (hints only)</caption>
<thead><tr><th scope="col">Secret</th><th scope="col">Description</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
<tbody>${view.secrets.map((secret) => {
        const status = statusOf(secret, now);
        return html`<tr>
<td data-label="Secret"><code>${secret.hint}…</code></td>
<td data-label="Description">${secret.description || html`<span class="muted">none</span>`}</td>
<td data-label="Created">${timeText(secret.createdAt)}</td>
<td data-label="Expires">${secret.expiresAt ? timeText(secret.expiresAt) : "Never"}</td>
<td data-label="Status">${status}${secret.revokedAt ? html` (${timeText(secret.revokedAt)})` : ""}</td>
<td data-label="Action">${status === "Revoked" ? "" : revokeForm(secret, csrf, view.revokeErrors?.[secret.id])}</td>
</tr>`;
      })}</tbody>
</table>`
}
</section>
<section class="card" aria-labelledby="create-heading">
<h2 id="create-heading">Create a client secret</h2>
${problemSummary(
  "No secret was created",
  Object.values(errors).filter((value): value is string => !!value),
)}
<form method="post" action="${credentialsPath}" novalidate>
${csrf}
${textField({
  name: "description",
  label: "Description",
  hint: "What uses this secret (optional).",
  value: view.entered?.description,
  error: errors.description,
})}
${textField({
  name: "expiresInDays",
  label: "Expires in days",
  hint: "Leave empty for a secret that never expires.",
  type: "number",
  value: view.entered?.expiresInDays,
  error: errors.expiresInDays,
  attributes: html`min="1" max="3650" inputmode="numeric"`,
})}
<button type="submit">Create a client secret</button>
</form>
</section>`,
  );
}

/** Registers the credential pages inside the portal's guarded scope. */
export function registerCredentialPages(portal: FastifyInstance, deps: ConsoleDeps): void {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Partial<CredentialsPageView>,
  ) {
    const { persona, signedIn } = publisherOf(request);
    const { body } = await deps.api.call<{ clientSecrets: ClientSecretSummary[] }>(
      persona,
      "GET",
      "/partner/v1/client-secrets",
    );
    return sendPage(reply, status, credentialsPage({ signedIn, secrets: body.clientSecrets, ...extra }));
  }

  portal.get<{ Querystring: { done?: string } }>("/credentials", async (request, reply) =>
    show(request, reply, 200, { flash: outcomes[request.query.done ?? ""] }),
  );

  portal.post("/credentials", { bodyLimit: formBodyLimit }, async (request, reply) => {
    const { persona } = publisherOf(request);
    const entered = {
      description: trimmedField(request.body, "description"),
      expiresInDays: trimmedField(request.body, "expiresInDays"),
    };
    const days = entered.expiresInDays;
    const body = {
      ...(entered.description ? { description: entered.description } : {}),
      // A number when it reads as one; otherwise sent as typed so the API explains what is wrong.
      ...(days ? { expiresInDays: /^-?\d+(\.\d+)?$/.test(days) ? Number(days) : days } : {}),
    };
    try {
      const { body: created } = await deps.api.call<CreatedClientSecret>(
        persona,
        "POST",
        "/partner/v1/client-secrets",
        body,
      );
      return show(request, reply, 201, { created });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const target = (error.target ?? "").replace(/^body\.?/, "");
      const field = target.startsWith("description") ? "description" : "expiresInDays";
      const label = field === "description" ? "Description" : "Expires in days";
      const prefix = `${error.target ?? ""}: `;
      const message = error.message.startsWith(prefix)
        ? `${label}: ${error.message.slice(prefix.length)}`
        : readableMessage(error, label);
      return show(request, reply, error.status, { entered, errors: { [field]: message } });
    }
  });

  portal.post<{ Params: { secretId: string } }>(
    "/credentials/:secretId/revoke",
    { bodyLimit: formBodyLimit },
    async (request, reply) => {
      const { persona } = publisherOf(request);
      const secretId = request.params.secretId;
      if (trimmedField(request.body, "confirm") !== "yes") {
        return show(request, reply, 400, {
          revokeErrors: {
            [secretId]: "Tick the box to confirm: apps using this secret stop getting tokens.",
          },
        });
      }
      try {
        await deps.api.call(
          persona,
          "POST",
          `/partner/v1/client-secrets/${encodeURIComponent(secretId)}/revoke`,
        );
      } catch (error) {
        if (!isRefusal(error) || error.status !== 409) throw error;
        return show(request, reply, 409, { revokeErrors: { [secretId]: error.message } });
      }
      return seeOther(reply, `${credentialsPath}?done=revoked`);
    },
  );
}
