import { ApiCallError } from "../api-client.js";

/**
 * Which form field an API error is about, from its `target` ("quantity", "body.quantity",
 * "beneficiary.tenantId"), through a table of the form's fields.
 */
export function fieldOf(error: ApiCallError, fields: Record<string, string>): string | undefined {
  const target = (error.target ?? "").replace(/^body\./, "");
  for (const [prefix, field] of Object.entries(fields)) {
    if (target === prefix || target.startsWith(`${prefix}.`)) return field;
  }
  return undefined;
}

/**
 * The API's message, with a schema path at its start ("body.quantity must be >= 1.") replaced by the
 * field's label ("Seats must be >= 1.").
 */
export function readableMessage(error: ApiCallError, label: string | undefined): string {
  const target = error.target ?? "";
  if (label && target && error.message.startsWith(`${target} `)) {
    return `${label} ${error.message.slice(target.length + 1)}`;
  }
  return error.message;
}

/** True for the answers a form shows next to itself (the caller's input was refused). */
export function isRefusal(error: unknown): error is ApiCallError {
  return error instanceof ApiCallError && error.status >= 400 && error.status < 500 && error.status !== 401;
}
