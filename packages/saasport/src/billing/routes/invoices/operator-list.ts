import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { requireOperator } from "../../../http/operator-auth.js";
import { linkNext, sendInvoiceListCsv } from "./csv-export.js";
import { type InvoiceRouteDeps, operatorDocs } from "./deps.js";
import { listInvoices } from "./invoice-queries.js";
import { checkedInHandler, QueryReader } from "./query-params.js";
import { InvoiceList, OperatorListQuery } from "./schemas.js";
import { invoiceView } from "./views.js";

/** Every invoice, filtered, newest month first, keyset-paged (`next` → `?after=`). */
export function registerOperatorListInvoices(app: TypedApp, deps: InvoiceRouteDeps): void {
  app.get(
    "/operator/v1/invoices",
    {
      onRequest: requireOperator(deps.operatorKeyHash),
      schema: {
        ...operatorDocs,
        summary: "Every invoice, newest month first, by billing account, status, month or clock",
        querystring: OperatorListQuery,
        response: { 200: InvoiceList },
      },
      validatorCompiler: checkedInHandler,
    },
    async (request, reply) => {
      const query = new QueryReader(request.query, [
        "billingAccount",
        "status",
        "month",
        "testClock",
        "limit",
        "after",
        "format",
      ]);
      const filter = {
        billingAccount: query.tenant("billingAccount"),
        status: query.status(),
        month: query.month(),
        clock: query.clock(),
      };
      const page = { limit: query.limit(), after: query.after() };
      const format = query.format();
      query.done();
      const found = await listInvoices(deps.db, filter, page);
      linkNext(request, reply, found.next);
      if (format === "csv") return sendInvoiceListCsv(reply, "invoices.csv", found.invoices);
      return { invoices: found.invoices.map(invoiceView), next: found.next };
    },
  );
}
