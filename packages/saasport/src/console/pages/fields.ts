import { html, type SafeHtml } from "../../http/html.js";

/** A problem with one field of a form, shown next to it. */
export type FieldErrors = Partial<Record<string, string>>;

export interface TextFieldOptions {
  name: string;
  label: string;
  value?: string | undefined;
  type?: "text" | "password" | "number" | "email";
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  /** Extra attributes (trusted markup: min, max, pattern, inputmode). */
  attributes?: SafeHtml;
  /** Makes ids unique when a page shows the same form more than once. */
  idPrefix?: string;
  /**
   * Ids of shown errors about a group of fields this one belongs to (a fieldset's, a list's): they
   * describe this field too and mark it invalid, as its own error does.
   */
  groupErrorIds?: readonly string[];
}

/**
 * A labelled input. Its hint and error are tied to it with aria-describedby; an error also sets
 * aria-invalid, so screen readers announce both.
 */
export function textField(options: TextFieldOptions): SafeHtml {
  const id = `${options.idPrefix ?? ""}${options.name}`;
  const hintId = options.hint ? `${id}-hint` : undefined;
  const errorId = options.error ? `${id}-error` : undefined;
  const groupErrorIds = options.groupErrorIds ?? [];
  const describedBy = [hintId, ...groupErrorIds, errorId].filter(Boolean).join(" ");
  const invalid = Boolean(options.error) || groupErrorIds.length > 0;
  return html`<div class="field">
<label for="${id}">${options.label}</label>
${options.hint ? html`<span class="hint" id="${hintId}">${options.hint}</span>` : ""}
${options.error ? html`<span class="field-error" id="${errorId}">${options.error}</span>` : ""}
<input type="${options.type ?? "text"}" id="${id}" name="${options.name}" value="${options.value ?? ""}"${
    describedBy ? html` aria-describedby="${describedBy}"` : ""
  }${invalid ? html` aria-invalid="true"` : ""}${options.required ? html` required` : ""}${
    options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ""
  }${options.attributes ? html` ${options.attributes}` : ""}>
</div>`;
}

/** A summary of a failed form at its top (announced at once), listing what went wrong. */
export function problemSummary(title: string, messages: readonly string[]): SafeHtml {
  if (messages.length === 0) return html``;
  return html`<div class="card problem" role="alert">
<h3>${title}</h3>
<ul>${messages.map((message) => html`<li>${message}</li>`)}</ul>
</div>`;
}
