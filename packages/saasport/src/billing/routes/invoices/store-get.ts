import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { findInvoice } from "../../payments.js";
import { sendInvoiceLinesCsv } from "./csv-export.js";
import { type InvoiceRouteDeps, invoiceNotFound, storeDocs, storeSignIn } from "./deps.js";
import { linesOfInvoice } from "./invoice-queries.js";
import { checkedInHandler, QueryReader } from "./query-params.js";
import { DetailQuery, InvoiceDetail, InvoiceParams } from "./schemas.js";
import { detailView } from "./views.js";

/** One invoice of the buyer's billing account with its lines; another account's invoice is 404. */
export function registerStoreGetInvoice(app: TypedApp, deps: InvoiceRouteDeps): void {
  const { signIn, callerOf } = storeSignIn(deps);
  app.get(
    "/store/v1/invoices/:invoiceId",
    {
      onRequest: signIn,
      schema: {
        ...storeDocs,
        summary: "One of your invoices with its lines",
        params: InvoiceParams,
        querystring: DetailQuery,
        response: { 200: InvoiceDetail },
      },
      validatorCompiler: checkedInHandler,
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const query = new QueryReader(request.query, ["format"]);
      const format = query.format();
      query.done();
      const { invoiceId } = request.params as { invoiceId: string };
      const invoice = await findInvoice(deps.db, invoiceId.toLowerCase());
      const mine =
        invoice &&
        (caller.kind === "operator" || invoice.billing_account === caller.buyer.tenantId.toLowerCase());
      if (!invoice || !mine) throw invoiceNotFound(invoiceId);
      const lines = await linesOfInvoice(deps.db, invoice.id);
      if (format === "csv") return sendInvoiceLinesCsv(reply, invoice, lines);
      return detailView(invoice, lines);
    },
  );
}
