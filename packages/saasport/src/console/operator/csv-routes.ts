import type { FastifyInstance } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import { errorOf, type RawAnswer } from "../api-client.js";
import { sendCsvDownload } from "../csv-download.js";
import type { ConsoleDeps } from "../deps.js";
import type { Persona } from "../sessions/persona.js";
import { operatorOf } from "./guard.js";
import { operatorPaths } from "./ui.js";

/** The operator's CSV downloads: the session's page asks the API with the operator key and passes the file on. */
export const operatorCsvPaths = {
  invoices: `${operatorPaths.invoices}.csv`,
  payouts: `${operatorPaths.payouts}.csv`,
};

/** At most this many pages of 1000 invoices go into one file. */
const maxInvoicePages = 100;

/** The invoices download of the list's filter (status and month). */
export function invoicesCsvHref(filter: { status?: string | undefined; month?: string | undefined }): string {
  const query = new URLSearchParams();
  if (filter.status) query.set("status", filter.status);
  if (filter.month) query.set("month", filter.month);
  const search = query.toString();
  return search ? `${operatorCsvPaths.invoices}?${search}` : operatorCsvPaths.invoices;
}

/** A download link; its text names what it downloads for screen readers. */
export function csvLink(href: string, what: string): SafeHtml {
  return html`<a class="button button-secondary" href="${href}" download>Download<span class="visually-hidden"> ${what}</span> as CSV</a>`;
}

async function csvAnswer(deps: ConsoleDeps, persona: Persona, path: string): Promise<RawAnswer> {
  const answer = await deps.api.raw(persona, path);
  if (answer.status >= 400) throw errorOf(answer.status, answer.body);
  return answer;
}

/** The `rel="next"` target of a `link` header, if any. */
function nextPageOf(answer: RawAnswer): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(answer.headers.link ?? "")?.[1];
}

/** The records of a CSV text after its header row (the API's header row never holds a line break). */
function recordsOf(text: string): string {
  const end = text.indexOf("\r\n");
  return end === -1 ? "" : text.slice(end + 2);
}

export function registerCsvRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: { status?: string; month?: string } }>("/invoices.csv", async (request, reply) => {
    const { persona } = operatorOf(request);
    const query = new URLSearchParams({ format: "csv", limit: "1000" });
    if (request.query.status) query.set("status", request.query.status);
    if (request.query.month) query.set("month", request.query.month);
    const first = await csvAnswer(deps, persona, `/operator/v1/invoices?${query.toString()}`);
    // The API answers a page at a time; the file holds them all.
    let text = first.body;
    let next = nextPageOf(first);
    for (let pages = 1; next && pages < maxInvoicePages; pages += 1) {
      const page = await csvAnswer(deps, persona, next);
      text += recordsOf(page.body);
      next = nextPageOf(page);
    }
    return sendCsvDownload(reply, first, "invoices.csv", text);
  });

  app.get("/payouts.csv", async (request, reply) => {
    const { persona } = operatorOf(request);
    const answer = await csvAnswer(deps, persona, "/operator/v1/payouts?format=csv");
    return sendCsvDownload(reply, answer, "payouts.csv");
  });
}
