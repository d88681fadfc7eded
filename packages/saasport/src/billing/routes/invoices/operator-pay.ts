import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { requireOperator } from "../../../http/operator-auth.js";
import { markInvoicePaid } from "../../payments.js";
import { type InvoiceRouteDeps, operatorDocs } from "./deps.js";
import { paymentAnswer } from "./payment-answer.js";
import { InvoiceParams, PaymentAnswer } from "./schemas.js";

export function registerOperatorPayInvoice(app: TypedApp, deps: InvoiceRouteDeps): void {
  app.post(
    "/operator/v1/invoices/:invoiceId/pay",
    {
      onRequest: requireOperator(deps.operatorKeyHash),
      bodyLimit: 1024,
      schema: {
        ...operatorDocs,
        summary: "Mark an open or failed invoice paid",
        description:
          "paidAt is business time on the invoice's clock. When the invoice had failed, its Suspended subscriptions are reinstated (payment recovered) unless another of their invoices is still failed. A paid invoice answers 409.",
        params: InvoiceParams,
        response: { 200: PaymentAnswer },
      },
    },
    async (request) => {
      const { invoiceId } = request.params;
      return paymentAnswer(invoiceId, await markInvoicePaid(deps.payments, invoiceId.toLowerCase()));
    },
  );
}
