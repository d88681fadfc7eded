import { ApiError } from "../../../http/errors.js";
import type { PaymentOutcome } from "../../payments.js";
import { invoiceNotFound } from "./deps.js";
import { invoiceView } from "./views.js";

/** The answer to pay and fail: the invoice as it now is and what happened to its subscriptions. */
export function paymentAnswer(invoiceId: string, outcome: PaymentOutcome) {
  if (!outcome.ok) {
    if (outcome.problem === "notFound") throw invoiceNotFound(invoiceId);
    throw new ApiError("Conflict", outcome.message, { target: "invoiceId" });
  }
  const { invoice, ...subscriptions } = outcome.result;
  return { invoice: invoiceView(invoice), ...subscriptions };
}
