import { html, type SafeHtml } from "../../http/html.js";
import { csrfInput, type SignedIn } from "../pages/layout.js";

/** The operator console's pages. */
export const operatorPaths = {
  home: "/console/operator",
  subscriptions: "/console/operator/subscriptions",
  invoices: "/console/operator/invoices",
  payouts: "/console/operator/payouts",
  events: "/console/operator/events",
  eventStream: "/console/operator/events/stream",
  eventScript: "/console/operator/events.js",
  publishers: "/console/operator/publishers",
  faults: "/console/operator/faults",
};

export const subscriptionPagePath = (id: string) =>
  `${operatorPaths.subscriptions}/${encodeURIComponent(id)}`;
export const invoicePagePath = (id: string) => `${operatorPaths.invoices}/${encodeURIComponent(id)}`;

/** An instant as the operator reads it: "2026-05-02 10:11:12 UTC"; "–" when absent. */
export function instantText(value: string | null | undefined): string {
  if (!value) return "–";
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value);
  return match ? `${match[1]} ${match[2]} UTC` : value;
}

/** A form of one button (and hidden fields) that posts to the console. */
export function buttonForm(
  signedIn: SignedIn,
  action: string,
  label: string | SafeHtml,
  options: { hidden?: Record<string, string>; tone?: "secondary" | "danger" } = {},
): SafeHtml {
  return html`<form method="post" action="${action}">${csrfInput(signedIn.csrfToken)}${Object.entries(
    options.hidden ?? {},
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit"${options.tone ? html` class="${options.tone}"` : ""}>${label}</button></form>`;
}

/** A labelled select; its error is tied to it like a text field's. */
export function selectField(options: {
  name: string;
  label: string;
  choices: readonly { value: string; label: string }[];
  value?: string | undefined;
  error?: string | undefined;
}): SafeHtml {
  const errorId = options.error ? `${options.name}-error` : undefined;
  return html`<div class="field">
<label for="${options.name}">${options.label}</label>
${options.error ? html`<span class="field-error" id="${errorId}">${options.error}</span>` : ""}
<select id="${options.name}" name="${options.name}"${
    errorId ? html` aria-describedby="${errorId}" aria-invalid="true"` : ""
  }>${options.choices.map(
    (choice) =>
      html`<option value="${choice.value}"${choice.value === (options.value ?? "") ? html` selected` : ""}>${choice.label}</option>`,
  )}</select>
</div>`;
}

/** A whole number from a query value, or undefined. */
export function countOf(value: unknown): number | undefined {
  return typeof value === "string" && /^\d{1,7}$/.test(value) ? Number(value) : undefined;
}

/** "1 renewal", "2 renewals". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
