import { html, type SafeHtml } from "../../http/html.js";
import { paymentText, termText } from "../format.js";
import { trimmedField } from "../forms.js";
import { type FieldErrors, problemSummary, textField } from "../pages/fields.js";
import { csrfInput } from "../pages/layout.js";
import type { PartnerPlan } from "./wire.js";

/** The fields of the add-a-billing-term form, named as the API's billing term names them. */
export const termFields = ["termUnit", "paymentOption", "price", "currency"] as const;
export type TermField = (typeof termFields)[number];
export type NewTermValues = Record<TermField, string>;

/** The API's values; P4Y and P5Y need the plan's allowExtendedTerms (the API says so). */
const termUnits = ["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"];
const paymentOptions = ["upfront", "monthly", "annual"];

export interface NewTermForm {
  entered?: NewTermValues | undefined;
  errors?: FieldErrors | undefined;
  summary?: string[] | undefined;
}

export function readNewTerm(body: unknown): NewTermValues {
  const values = {} as NewTermValues;
  for (const name of termFields) values[name] = trimmedField(body, name);
  return values;
}

/** The plan's billing terms with the new one after them, as PATCH /partner/v1 takes them. */
export function termsWithNew(plan: PartnerPlan, term: NewTermValues): Record<string, string>[] {
  return [
    ...plan.billingTerms.map((existing) => ({
      termUnit: existing.termUnit,
      paymentOption: existing.paymentOption,
      currency: existing.currency ?? "USD",
      price: existing.price,
    })),
    {
      termUnit: term.termUnit,
      paymentOption: term.paymentOption,
      currency: term.currency || "USD",
      price: term.price,
    },
  ];
}

/** The new term's field an API target names (`body.billingTerms[2].price` when the plan had 2 terms). */
export function newTermFieldOf(target: string | undefined, index: number): TermField | undefined {
  const match = /billingTerms\[(\d+)\]\.(\w+)/.exec(target ?? "");
  if (!match || Number(match[1]) !== index) return undefined;
  return termFields.find((name) => name === match[2]);
}

function select(
  name: TermField,
  label: string,
  values: readonly string[],
  text: (value: string) => string,
  selected: string,
  error: string | undefined,
): SafeHtml {
  const id = `new-${name}`;
  const errorId = `${id}-error`;
  return html`<div class="field">
<label for="${id}">${label}</label>
${error ? html`<span class="field-error" id="${errorId}">${error}</span>` : ""}
<select id="${id}" name="${name}"${error ? html` aria-invalid="true" aria-describedby="${errorId}"` : ""}>
${values.map(
  (value) =>
    html`<option value="${value}"${value === selected ? html` selected` : ""}>${text(value)}</option>`,
)}
</select>
</div>`;
}

/** A form that adds one billing term (term, payment option, price, currency) to a plan. */
export function addTermSection(
  plan: PartnerPlan,
  action: string,
  csrfToken: string,
  form: NewTermForm,
): SafeHtml {
  const errors = form.errors ?? {};
  const values: NewTermValues = form.entered ?? {
    termUnit: termUnits.find((unit) => !plan.billingTerms.some((term) => term.termUnit === unit)) ?? "P1M",
    paymentOption: "upfront",
    price: "",
    currency: plan.billingTerms[0]?.currency ?? "USD",
  };
  return html`<section class="card" aria-labelledby="add-term-heading">
<h2 id="add-term-heading">Add a billing term</h2>
${problemSummary("The billing term was not added", form.summary ?? [])}
<form method="post" action="${action}" novalidate>
${csrfInput(csrfToken)}
${select("termUnit", "Term", termUnits, (unit) => `${termText(unit)} (${unit})`, values.termUnit, errors.termUnit)}
${select("paymentOption", "Payment option", paymentOptions, (option) => paymentText(option), values.paymentOption, errors.paymentOption)}
${textField({
  name: "price",
  label: "Price of one payment",
  value: values.price,
  hint: "A decimal such as 490.00: the whole term when paid upfront, else one instalment.",
  error: errors.price,
  required: true,
  autocomplete: "off",
  idPrefix: "new-",
  attributes: html`inputmode="decimal"`,
})}
${textField({
  name: "currency",
  label: "Currency",
  value: values.currency,
  hint: "An ISO 4217 code such as USD; every price of a plan is in one currency.",
  error: errors.currency,
  required: true,
  autocomplete: "off",
  idPrefix: "new-",
})}
<button type="submit">Add the billing term</button>
</form>
</section>`;
}
