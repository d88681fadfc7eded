import { html, type SafeHtml } from "../../http/html.js";
import { trimmedField } from "../forms.js";
import { type FieldErrors, textField } from "../pages/fields.js";
import type { PartnerOffer } from "./wire.js";

/**
 * Per-dimension meter prices of a private offer's plan (the API's `dimensionPrices`): allowed only with
 * an absolute price on a flat-rate plan. The form offers a price field per metering dimension of the
 * publisher's flat-rate plans; the API says when the chosen plan has no such dimension.
 */
export interface MeterDimension {
  id: string;
  displayName: string;
  unitOfMeasure: string;
}

/** The distinct metering dimensions of the publisher's flat-rate plans, in catalog order. */
export function meterDimensionsOf(offers: readonly PartnerOffer[]): MeterDimension[] {
  const found = new Map<string, MeterDimension>();
  for (const offer of offers) {
    if (offer.pricingModel !== "flatRate") continue;
    for (const plan of offer.plans) {
      for (const dimension of plan.meteredDimensions) {
        if (!found.has(dimension.id)) found.set(dimension.id, dimension);
      }
    }
  }
  return [...found.values()];
}

/** The form field of a row's meter price (also its key in the entered values and errors). */
export function meterFieldName(row: number, dimensionId: string): string {
  return `meter${row}-${dimensionId}`;
}

/** The meter prices entered in a row, as the API takes them (empty fields left out). */
export function readMeterPrices(
  body: unknown,
  row: number,
  dimensions: readonly MeterDimension[],
  entered: Record<string, string>,
): Record<string, string> | undefined {
  const prices: Record<string, string> = {};
  for (const dimension of dimensions) {
    const name = meterFieldName(row, dimension.id);
    const value = trimmedField(body, name);
    entered[name] = value;
    if (value !== "") prices[dimension.id] = value;
  }
  return Object.keys(prices).length > 0 ? prices : undefined;
}

/** The field key of an API problem below `plans[i].dimensionPrices` (`rest` is what follows it). */
export function meterErrorKey(row: number, rest: string, dimensions: readonly MeterDimension[]): string {
  const dimension = dimensions.find((candidate) => rest === `.${candidate.id}`);
  return dimension ? meterFieldName(row, dimension.id) : `meter${row}`;
}

export function meterPricesFieldset(
  row: number,
  dimensions: readonly MeterDimension[],
  entered: Record<string, string>,
  errors: FieldErrors,
): SafeHtml {
  if (dimensions.length === 0) return html``;
  const groupError = errors[`meter${row}`];
  const hintId = `meter${row}-hint`;
  return html`<fieldset class="meter-prices" aria-describedby="${hintId}">
<legend>Plan ${row + 1} meter prices (optional)</legend>
<p class="hint" id="${hintId}">Only with an absolute price on a flat-rate plan: a price per unit in the plan's currency, e.g. 0.008. Dimensions left empty keep their list price.</p>
${groupError ? html`<p class="field-error" id="meter${row}-error">${groupError}</p>` : ""}
${dimensions.map((dimension) =>
  textField({
    name: meterFieldName(row, dimension.id),
    label: `Plan ${row + 1} price per ${dimension.unitOfMeasure}: ${dimension.displayName} (${dimension.id})`,
    value: entered[meterFieldName(row, dimension.id)],
    error: errors[meterFieldName(row, dimension.id)],
    autocomplete: "off",
    attributes: html`inputmode="decimal"`,
  }),
)}
</fieldset>`;
}

/** A plan's meter prices as the private offer list shows them. */
export function meterPricesText(prices: Record<string, string> | undefined): string {
  const entries = Object.entries(prices ?? {});
  return entries.map(([id, price]) => `${id} ${price}`).join(", ");
}

/** "dimensionPrices.api-calls must be …" reads "The meter price for api-calls must be …". */
export function readableMeterMessage(message: string): string {
  return message.replace(/^dimensionPrices\.(\S+) /, "The meter price for $1 ");
}
