import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { ApiError, badArgument } from "../../../http/errors.js";
import { linkNext, sendInvoiceListCsv } from "./csv-export.js";
import { type InvoiceRouteDeps, storeDocs, storeSignIn } from "./deps.js";
import { listInvoices } from "./invoice-queries.js";
import { checkedInHandler, QueryReader } from "./query-params.js";
import { InvoiceList, StoreListQuery } from "./schemas.js";
import { invoiceView } from "./views.js";

/**
 * The signed-in buyer's billing account's invoices (the account is the paying tenant, so a reseller sees
 * the invoices it pays and its customers do not), newest month first. The operator names the tenant.
 */
export function registerStoreListInvoices(app: TypedApp, deps: InvoiceRouteDeps): void {
  const { signIn, callerOf } = storeSignIn(deps);
  app.get(
    "/store/v1/invoices",
    {
      onRequest: signIn,
      schema: {
        ...storeDocs,
        summary: "Your billing account's invoices, newest month first",
        querystring: StoreListQuery,
        response: { 200: InvoiceList },
      },
      validatorCompiler: checkedInHandler,
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const query = new QueryReader(request.query, [
        "status",
        "month",
        "tenantId",
        "limit",
        "after",
        "format",
      ]);
      const filter = { status: query.status(), month: query.month() };
      const named = query.tenant("tenantId");
      const page = { limit: query.limit(), after: query.after() };
      const format = query.format();
      query.done();
      const account = caller.kind === "buyer" ? caller.buyer.tenantId.toLowerCase() : named;
      if (account === undefined) {
        throw badArgument(
          "tenantId",
          "With the operator key, name the buyer's tenant with ?tenantId= (GET /operator/v1/invoices lists every invoice).",
          "RequiredField",
        );
      }
      if (named !== undefined && named !== account) {
        throw new ApiError("Forbidden", "A buyer sees only the invoices of their own tenant.", {
          target: "tenantId",
        });
      }
      const found = await listInvoices(deps.db, { ...filter, billingAccount: account }, page);
      linkNext(request, reply, found.next);
      if (format === "csv") return sendInvoiceListCsv(reply, `invoices-${account}.csv`, found.invoices);
      return { invoices: found.invoices.map(invoiceView), next: found.next };
    },
  );
}
