import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { requireOperator } from "../../../http/operator-auth.js";
import { findInvoice } from "../../payments.js";
import { sendInvoiceLinesCsv } from "./csv-export.js";
import { type InvoiceRouteDeps, invoiceNotFound, operatorDocs } from "./deps.js";
import { linesOfInvoice } from "./invoice-queries.js";
import { checkedInHandler, QueryReader } from "./query-params.js";
import { DetailQuery, InvoiceDetail, InvoiceParams } from "./schemas.js";
import { detailView } from "./views.js";

export function registerOperatorGetInvoice(app: TypedApp, deps: InvoiceRouteDeps): void {
  app.get(
    "/operator/v1/invoices/:invoiceId",
    {
      onRequest: requireOperator(deps.operatorKeyHash),
      schema: {
        ...operatorDocs,
        summary: "One invoice with its lines",
        params: InvoiceParams,
        querystring: DetailQuery,
        response: { 200: InvoiceDetail },
      },
      validatorCompiler: checkedInHandler,
    },
    async (request, reply) => {
      const query = new QueryReader(request.query, ["format"]);
      const format = query.format();
      query.done();
      const { invoiceId } = request.params as { invoiceId: string };
      const invoice = await findInvoice(deps.db, invoiceId.toLowerCase());
      if (!invoice) throw invoiceNotFound(invoiceId);
      const lines = await linesOfInvoice(deps.db, invoice.id);
      if (format === "csv") return sendInvoiceLinesCsv(reply, invoice, lines);
      return detailView(invoice, lines);
    },
  );
}
