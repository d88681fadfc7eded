import type { FastifyInstance, FastifyReply } from "fastify";
import type { RawAnswer } from "../api-client.js";
import { errorOf } from "../api-client.js";
import { sendCsvDownload } from "../csv-download.js";
import type { ConsoleDeps } from "../deps.js";
import { invoicePage, invoicesPage } from "../pages/store/invoices-page.js";
import { sendPage } from "../responses.js";
import { shopperOf } from "./guard.js";
import type { StoreInvoice, StoreInvoiceLine } from "./wire.js";

const invoiceApi = (id: string) => `/store/v1/invoices/${encodeURIComponent(id)}`;

/** Passes a CSV answer of the API through as a download. */
function sendCsv(reply: FastifyReply, answer: RawAnswer, fallbackName: string): FastifyReply {
  if (answer.status >= 400) throw errorOf(answer.status, answer.body);
  return sendCsvDownload(reply, answer, fallbackName);
}

/** The billing account's invoices, one invoice with its lines, and their CSV downloads. */
export function registerBillingRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get("/store/invoices", async (request, reply) => {
    const { persona, signedIn } = shopperOf(request);
    const { body } = await deps.api.call<{ invoices: StoreInvoice[] }>(persona, "GET", "/store/v1/invoices");
    return sendPage(reply, 200, invoicesPage(signedIn, body.invoices));
  });

  app.get("/store/invoices.csv", async (request, reply) => {
    const { persona } = shopperOf(request);
    return sendCsv(reply, await deps.api.raw(persona, "/store/v1/invoices?format=csv"), "invoices.csv");
  });

  app.get<{ Params: { invoiceId: string } }>("/store/invoices/:invoiceId", async (request, reply) => {
    const { persona, signedIn } = shopperOf(request);
    const { body } = await deps.api.call<StoreInvoice & { lines: StoreInvoiceLine[] }>(
      persona,
      "GET",
      invoiceApi(request.params.invoiceId),
    );
    return sendPage(reply, 200, invoicePage(signedIn, body));
  });

  app.get<{ Params: { invoiceId: string } }>("/store/invoices/:invoiceId/csv", async (request, reply) => {
    const { persona } = shopperOf(request);
    const id = request.params.invoiceId;
    return sendCsv(reply, await deps.api.raw(persona, `${invoiceApi(id)}?format=csv`), `invoice-${id}.csv`);
  });
}
