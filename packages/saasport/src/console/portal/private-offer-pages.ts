import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import type { ApiCallError } from "../api-client.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import { type FieldErrors, problemSummary, textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal } from "../store/api-errors.js";
import { publisherOf } from "./guard.js";
import {
  type MeterDimension,
  meterDimensionsOf,
  meterErrorKey,
  meterPricesFieldset,
  meterPricesText,
  readableMeterMessage,
  readMeterPrices,
} from "./private-offer-meter-prices.js";
import { portalStyles } from "./styles.js";
import type { PartnerOffer } from "./wire.js";

/** The publisher portal's page for its private offers (`/partner/v1/private-offers`). */
export const privateOffersPath = "/console/portal/private-offers";

/** A private offer as `/partner/v1/private-offers` shows it (the API owns this shape). */
export interface PartnerPrivateOffer {
  id: string;
  offerId: string;
  name: string;
  customerTenantId: string;
  audience: string;
  acceptBy: string;
  validFrom: string;
  validTo: string;
  status: string;
  plans: {
    planId: string;
    discountPercent?: string;
    absolutePrice?: string;
    currency?: string;
    dimensionPrices?: Record<string, string>;
  }[];
}

/** The form has this many plan rows; rows left without a plan are not sent. */
const planRows = 3;

const fieldLabels = {
  name: "Name",
  offerId: "Offer",
  customerTenantId: "Customer tenant ID",
  audience: "Audience",
  acceptBy: "Accept by",
  validFrom: "Valid from",
  validTo: "Valid to",
} as const;

type MainField = keyof typeof fieldLabels;
const mainFields = Object.keys(fieldLabels) as MainField[];

export type PrivateOfferEntry = Record<string, string>;

export interface PrivateOffersPageView {
  signedIn: SignedIn;
  privateOffers: PartnerPrivateOffer[];
  offers: PartnerOffer[];
  entered?: PrivateOfferEntry | undefined;
  errors?: FieldErrors | undefined;
  summary?: string[] | undefined;
  flash?: Flash | undefined;
}

const outcomes: Record<string, Flash> = {
  created: {
    tone: "success",
    text: "The private offer is created: the customer can accept it until its accept-by date.",
  },
  withdrawn: {
    tone: "success",
    text: "The private offer is withdrawn: the customer can no longer accept it.",
  },
};

const statusLabels: Record<string, string> = {
  pending: "Pending",
  accepted: "Accepted",
  withdrawn: "Withdrawn",
  expired: "Expired",
};

function priceText(plan: PartnerPrivateOffer["plans"][number]): string {
  if (plan.discountPercent !== undefined) return `${plan.planId}: ${plan.discountPercent}% off`;
  const meters = meterPricesText(plan.dimensionPrices);
  const price = `${plan.planId}: ${plan.absolutePrice ?? ""} ${plan.currency ?? ""}`.trim();
  return meters ? `${price}; per unit ${meters}` : price;
}

/**
 * A labelled select. Its own error, and the shown errors of a group it belongs to (`groupErrorIds`:
 * the plans list, the plan's row), are tied to it with aria-describedby and set aria-invalid.
 */
function selectField(options: {
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  groupErrorIds?: readonly string[];
  choices: SafeHtml;
}): SafeHtml {
  const errorId = `${options.name}-error`;
  const describedBy = [...(options.groupErrorIds ?? []), ...(options.error ? [errorId] : [])].join(" ");
  return html`<div class="field">
<label for="${options.name}">${options.label}</label>
${options.error ? html`<span class="field-error" id="${errorId}">${options.error}</span>` : ""}
<select id="${options.name}" name="${options.name}"${
    describedBy ? html` aria-invalid="true" aria-describedby="${describedBy}"` : ""
  }>${options.choices}</select>
</div>`;
}

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}"${value === selected ? html` selected` : ""}>${label}</option>`;
}

function planRow(index: number, view: PrivateOffersPageView): SafeHtml {
  const entered = view.entered ?? {};
  const errors = view.errors ?? {};
  const rowError = errors[`plan${index}`];
  const rowErrorId = `plan${index}-row-error`;
  const rowErrorIds = rowError ? [rowErrorId] : [];
  // A problem with the list of plans ("Name between 1 and 5 plans") belongs to the first, required row.
  const listErrorIds = index === 0 && errors.plans ? ["plans-error"] : [];
  const selected = entered[`plan${index}`] ?? "";
  return html`<fieldset class="plan-row">
<legend>Plan ${index + 1}${index === 0 ? "" : " (optional)"}</legend>
${rowError ? html`<p class="field-error" id="${rowErrorId}">${rowError}</p>` : ""}
${selectField({
  name: `plan${index}`,
  label: `Plan ${index + 1}`,
  value: selected,
  error: errors[`plan${index}.planId`],
  groupErrorIds: [...listErrorIds, ...rowErrorIds],
  choices: html`${option("", "No plan", selected)}${view.offers.map(
    (offer) =>
      html`<optgroup label="${offer.displayName}">${offer.plans.map((plan) =>
        option(plan.id, `${plan.displayName} (${plan.id})`, selected),
      )}</optgroup>`,
  )}`,
})}
${textField({
  name: `discount${index}`,
  label: `Plan ${index + 1} discount percent`,
  hint: "More than 0 and less than 100, e.g. 20 or 12.5.",
  value: entered[`discount${index}`],
  error: errors[`plan${index}.discountPercent`],
  groupErrorIds: rowErrorIds,
  attributes: html`inputmode="decimal"`,
})}
${textField({
  name: `price${index}`,
  label: `Plan ${index + 1} absolute price`,
  hint: "Or a price of one payment in the plan's currency, e.g. 49.00.",
  value: entered[`price${index}`],
  error: errors[`plan${index}.absolutePrice`],
  groupErrorIds: rowErrorIds,
  attributes: html`inputmode="decimal"`,
})}
${meterPricesFieldset(index, meterDimensionsOf(view.offers), entered, errors)}
</fieldset>`;
}

function offerRows(view: PrivateOffersPageView): SafeHtml {
  const csrf = csrfInput(view.signedIn.csrfToken);
  if (view.privateOffers.length === 0) return html`<p class="muted">No private offer yet.</p>`;
  return html`<table>
<caption>Your private offers, newest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Offer</th><th scope="col">Customer tenant</th><th scope="col">Accept by</th><th scope="col">Valid</th><th scope="col">Plans</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
<tbody>${view.privateOffers.map(
    (offer) => html`<tr>
<td data-label="Name">${offer.name}</td>
<td data-label="Offer">${offer.offerId}</td>
<td data-label="Customer tenant"><code>${offer.customerTenantId}</code>${offer.audience === "reseller" ? " (reseller)" : ""}</td>
<td data-label="Accept by">${offer.acceptBy}</td>
<td data-label="Valid">${offer.validFrom} to ${offer.validTo}</td>
<td data-label="Plans">${offer.plans.map((plan) => html`<div>${priceText(plan)}</div>`)}</td>
<td data-label="Status">${statusLabels[offer.status] ?? offer.status}</td>
<td data-label="Action">${
      offer.status === "pending"
        ? html`<form method="post" action="${privateOffersPath}/${encodeURIComponent(offer.id)}/withdraw">${csrf}<button type="submit" class="danger" aria-label="Withdraw private offer ${offer.name}">Withdraw</button></form>`
        : ""
    }</td>
</tr>`,
  )}</tbody>
</table>`;
}

/** The publisher's private offers with their status, and a form to create one. */
export function privateOffersPage(view: PrivateOffersPageView): SafeHtml {
  const csrf = csrfInput(view.signedIn.csrfToken);
  const entered = view.entered ?? {};
  const errors = view.errors ?? {};
  const text = (name: MainField, hint: string, required = true) =>
    textField({ name, label: fieldLabels[name], hint, value: entered[name], error: errors[name], required });
  const offerId = entered.offerId ?? "";
  const audience = entered.audience ?? "customer";
  return layout(
    { title: "Private offers", current: "portal-private-offers", signedIn: view.signedIn, flash: view.flash },
    html`${portalStyles()}
<section class="card" aria-labelledby="list-heading">
<h2 id="list-heading">Private offers</h2>
${offerRows(view)}
</section>
<section class="card" aria-labelledby="create-heading">
<h2 id="create-heading">Create a private offer</h2>
${problemSummary("The private offer was not created", view.summary ?? [])}
<form method="post" action="${privateOffersPath}" novalidate>
${csrf}
${text("name", "The customer sees this name.")}
${selectField({
  name: "offerId",
  label: fieldLabels.offerId,
  value: offerId,
  error: errors.offerId,
  choices: html`${option("", "Choose an offer", offerId)}${view.offers.map((offer) =>
    option(offer.id, offer.displayName, offerId),
  )}`,
})}
${text("customerTenantId", "The customer's (or reseller's) Entra tenant, a GUID.")}
${selectField({
  name: "audience",
  label: fieldLabels.audience,
  value: audience,
  error: errors.audience,
  choices: html`${option("customer", "A customer", audience)}${option("reseller", "A reseller (CSP)", audience)}`,
})}
${text("acceptBy", "The last day the customer can accept, as YYYY-MM-DD.")}
${text("validFrom", "The first day of the private prices, as YYYY-MM-DD.")}
${text("validTo", "The last day of the private prices, as YYYY-MM-DD.")}
${errors.plans ? html`<p class="field-error" id="plans-error">${errors.plans}</p>` : ""}
${Array.from({ length: planRows }, (_, index) => planRow(index, view))}
<button type="submit">Create private offer</button>
</form>
</section>`,
  );
}

/**
 * Where an API problem belongs on the form: `body.acceptBy` → acceptBy, `body.plans[1].discountPercent`
 * → the form row that plan came from.
 */
function fieldKey(
  target: string | undefined,
  rowOf: readonly number[],
  dimensions: readonly MeterDimension[],
): string | undefined {
  const path = (target ?? "").replace(/^body\.?/, "");
  const plan = /^plans[[.](\d+)\]?(?:\.(\w+))?(.*)$/.exec(path);
  if (plan) {
    const row = rowOf[Number(plan[1])];
    if (row === undefined) return "plans";
    const part = plan[2];
    if (part === "dimensionPrices") return meterErrorKey(row, plan[3] ?? "", dimensions);
    return part === "planId" || part === "discountPercent" || part === "absolutePrice"
      ? `plan${row}.${part}`
      : `plan${row}`;
  }
  if (path === "plans") return "plans";
  return mainFields.find((field) => path === field || path.startsWith(`${field}.`));
}

/** The API's message with a leading field name or schema path made readable. */
function readable(message: string, target: string | undefined, key: string | undefined): string {
  // The form's rows are the list: an empty one means no row was filled in.
  if (key === "plans" && /^must list at least 1 item/.test(message)) return "Choose at least one plan.";
  const label =
    key === "plans" ? "Plans" : key && key in fieldLabels ? fieldLabels[key as MainField] : undefined;
  for (const prefix of [target ? `${target}: ` : "", target ? `${target} ` : ""]) {
    if (prefix && message.startsWith(prefix)) return `${label ?? target}: ${message.slice(prefix.length)}`;
  }
  const name =
    (target ?? "")
      .replace(/^body\./, "")
      .split(".")
      .pop() ?? "";
  if (label && name && message.startsWith(`${name} `)) return `${label} ${message.slice(name.length + 1)}`;
  // The API's messages about a value's shape have no subject ("must not be empty"): name the field.
  if (label && /^(must|is) /.test(message)) return `${label} ${message}`;
  return message;
}

function problemsOf(
  error: ApiCallError,
  rowOf: readonly number[],
  dimensions: readonly MeterDimension[],
): { errors: FieldErrors; summary: string[] } {
  const problems =
    error.details.length > 0 ? error.details : [{ message: error.message, target: error.target }];
  const errors: FieldErrors = {};
  const summary: string[] = [];
  for (const problem of problems) {
    const key = fieldKey(problem.target, rowOf, dimensions);
    const message = readableMeterMessage(readable(problem.message, problem.target, key));
    summary.push(message);
    if (key) errors[key] = errors[key] ? `${errors[key]} ${message}` : message;
  }
  return { errors, summary };
}

/** Registers the private offer pages inside the portal's guarded scope. */
export function registerPrivateOfferPages(portal: FastifyInstance, deps: ConsoleDeps): void {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Partial<PrivateOffersPageView>,
  ) {
    const { persona, signedIn } = publisherOf(request);
    const [privateOffers, offers] = await Promise.all([
      deps.api.call<{ privateOffers: PartnerPrivateOffer[] }>(persona, "GET", "/partner/v1/private-offers"),
      deps.api.call<{ offers: PartnerOffer[] }>(persona, "GET", "/partner/v1/offers"),
    ]);
    return sendPage(
      reply,
      status,
      privateOffersPage({
        signedIn,
        privateOffers: privateOffers.body.privateOffers,
        offers: offers.body.offers,
        ...extra,
      }),
    );
  }

  portal.get<{ Querystring: { done?: string } }>("/private-offers", async (request, reply) =>
    show(request, reply, 200, { flash: outcomes[request.query.done ?? ""] }),
  );

  portal.post("/private-offers", { bodyLimit: formBodyLimit }, async (request, reply) => {
    const { persona } = publisherOf(request);
    const entered: PrivateOfferEntry = {};
    for (const field of mainFields) entered[field] = trimmedField(request.body, field);
    const { body: catalog } = await deps.api.call<{ offers: PartnerOffer[] }>(
      persona,
      "GET",
      "/partner/v1/offers",
    );
    const dimensions = meterDimensionsOf(catalog.offers);
    const plans: Record<string, unknown>[] = [];
    const rowOf: number[] = [];
    for (let index = 0; index < planRows; index += 1) {
      for (const part of ["plan", "discount", "price"]) {
        entered[`${part}${index}`] = trimmedField(request.body, `${part}${index}`);
      }
      const planId = entered[`plan${index}`] ?? "";
      const discount = entered[`discount${index}`] ?? "";
      const price = entered[`price${index}`] ?? "";
      const meterPrices = readMeterPrices(request.body, index, dimensions, entered);
      if (!planId && !discount && !price && !meterPrices) continue;
      rowOf.push(index);
      plans.push({
        planId,
        ...(discount ? { discountPercent: discount } : {}),
        ...(price ? { absolutePrice: price } : {}),
        ...(meterPrices ? { dimensionPrices: meterPrices } : {}),
      });
    }
    // Sent as entered: the API decides what is acceptable and names every problem.
    const body = {
      name: entered.name,
      offerId: entered.offerId,
      customerTenantId: entered.customerTenantId,
      audience: entered.audience || "customer",
      acceptBy: entered.acceptBy,
      validFrom: entered.validFrom,
      validTo: entered.validTo,
      plans,
    };
    try {
      await deps.api.call(persona, "POST", "/partner/v1/private-offers", body);
      return seeOther(reply, `${privateOffersPath}?done=created`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return show(request, reply, error.status, { entered, ...problemsOf(error, rowOf, dimensions) });
    }
  });

  portal.post<{ Params: { id: string } }>(
    "/private-offers/:id/withdraw",
    { bodyLimit: formBodyLimit },
    async (request, reply) => {
      const { persona } = publisherOf(request);
      await deps.api.call(
        persona,
        "POST",
        `/partner/v1/private-offers/${encodeURIComponent(request.params.id)}/withdraw`,
      );
      return seeOther(reply, `${privateOffersPath}?done=withdrawn`);
    },
  );
}
