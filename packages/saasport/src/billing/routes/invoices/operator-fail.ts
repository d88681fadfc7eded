import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { requireOperator } from "../../../http/operator-auth.js";
import { markInvoiceFailed } from "../../payments.js";
import { type InvoiceRouteDeps, operatorDocs } from "./deps.js";
import { paymentAnswer } from "./payment-answer.js";
import { InvoiceParams, PaymentAnswer } from "./schemas.js";

export function registerOperatorFailInvoice(app: TypedApp, deps: InvoiceRouteDeps): void {
  app.post(
    "/operator/v1/invoices/:invoiceId/fail",
    {
      onRequest: requireOperator(deps.operatorKeyHash),
      bodyLimit: 1024,
      schema: {
        ...operatorDocs,
        summary: "Mark an open invoice's payment failed and suspend its subscriptions",
        description:
          "failedAt is business time on the invoice's clock. Every Subscribed subscription on its lines is suspended (Suspend webhook, then the grace period). A paid or failed invoice answers 409.",
        params: InvoiceParams,
        response: { 200: PaymentAnswer },
      },
    },
    async (request) => {
      const { invoiceId } = request.params;
      return paymentAnswer(invoiceId, await markInvoiceFailed(deps.payments, invoiceId.toLowerCase()));
    },
  );
}
