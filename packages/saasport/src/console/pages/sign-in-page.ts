import { html, type SafeHtml } from "../../http/html.js";
import { personaKindLabels } from "../sessions/persona.js";
import type { DemoPersona } from "../sign-in/personas.js";
import { type FieldErrors, problemSummary, textField } from "./fields.js";
import { layout, type SignedIn } from "./layout.js";

export interface SignInView {
  /** The anti-forgery value of the sign-in forms (from the sign-in cookie). */
  csrf: string;
  next?: string | undefined;
  /** The demo personas, when this server may offer them. */
  personas?: DemoPersona[] | undefined;
  /** Why no personas are offered although the demo catalog runs. */
  pickerNote?: string | undefined;
  signedIn?: SignedIn | undefined;
  signedOut?: boolean;
  /** The form that failed and what to show next to it. */
  failed?: { form: "operator" | "publisher"; errors: FieldErrors; message: string } | undefined;
  publisherValues?: { tenantId: string; clientId: string } | undefined;
}

const hidden = (view: SignInView) =>
  html`<input type="hidden" name="csrf" value="${view.csrf}">${
    view.next ? html`<input type="hidden" name="next" value="${view.next}">` : ""
  }`;

export function signInPage(view: SignInView): SafeHtml {
  const failed = view.failed;
  return layout(
    {
      title: "Sign in",
      current: "sign-in",
      signedIn: view.signedIn,
      flash: view.signedOut ? { tone: "success", text: "You are signed out." } : undefined,
    },
    html`${
      view.signedIn
        ? html`<p class="card notice">You are signed in as <strong>${view.signedIn.persona.displayName}</strong>. Signing in again replaces that session.</p>`
        : ""
    }
${view.personas ? personaPicker(view) : view.pickerNote ? html`<p class="card notice">${view.pickerNote}</p>` : ""}
<section aria-labelledby="operator-heading" class="card">
<h2 id="operator-heading">Operator</h2>
<p>The operator key was printed when Saasport started (it is kept in <code>.saasport/operator-key</code>).</p>
${failed?.form === "operator" ? problemSummary("You are not signed in", [failed.message]) : ""}
<form method="post" action="/console/sign-in/operator">
${hidden(view)}
${textField({
  name: "operatorKey",
  label: "Operator key",
  type: "password",
  required: true,
  autocomplete: "off",
  error: failed?.form === "operator" ? failed.errors.operatorKey : undefined,
})}
<button type="submit">Sign in as the operator</button>
</form>
</section>
<section aria-labelledby="publisher-heading" class="card">
<h2 id="publisher-heading">Publisher</h2>
<p>Use your app registration's credentials, the ones your app gets its Fulfillment API tokens with.</p>
${failed?.form === "publisher" ? problemSummary("You are not signed in", [failed.message]) : ""}
<form method="post" action="/console/sign-in/publisher">
${hidden(view)}
${textField({
  name: "tenantId",
  label: "Tenant ID",
  hint: "Your directory (tenant) ID, a GUID.",
  value: view.publisherValues?.tenantId,
  required: true,
  autocomplete: "off",
  error: failed?.form === "publisher" ? failed.errors.tenantId : undefined,
})}
${textField({
  name: "clientId",
  label: "Client (application) ID",
  value: view.publisherValues?.clientId,
  required: true,
  autocomplete: "off",
  error: failed?.form === "publisher" ? failed.errors.clientId : undefined,
})}
${textField({
  name: "clientSecret",
  label: "Client secret",
  type: "password",
  required: true,
  autocomplete: "off",
  error: failed?.form === "publisher" ? failed.errors.clientSecret : undefined,
})}
<button type="submit">Sign in as the publisher</button>
</form>
</section>`,
  );
}

function personaPicker(view: SignInView): SafeHtml {
  return html`<section aria-labelledby="personas-heading">
<h2 id="personas-heading">Pick a demo persona</h2>
<p>This server runs the demo catalog on this machine only, so you can sign in as anyone without credentials.</p>
<ul class="personas grid">${(view.personas ?? []).map(
    (choice) => html`<li class="card">
<h3>${choice.persona.displayName}</h3>
<p><span class="badge badge-seat">${personaKindLabels[choice.persona.kind]}</span></p>
<p>${choice.description}</p>
<form method="post" action="/console/sign-in/persona" class="actions">
${hidden(view)}
<input type="hidden" name="persona" value="${choice.id}">
<button type="submit">Sign in as ${choice.persona.displayName}</button>
</form>
</li>`,
  )}</ul>
</section>`;
}
