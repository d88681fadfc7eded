import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import type { ApiCallError } from "../api-client.js";
import type { ConsoleDeps } from "../deps.js";
import { dayText, money } from "../format.js";
import { formBodyLimit } from "../forms.js";
import { textField } from "../pages/fields.js";
import { type Flash, layout, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { isRefusal } from "../store/api-errors.js";
import { csvLink, invoicesCsvHref, operatorCsvPaths } from "./csv-routes.js";
import { operatorOf } from "./guard.js";
import {
  buttonForm,
  countOf,
  invoicePagePath,
  operatorPaths,
  plural,
  selectField,
  subscriptionPagePath,
} from "./ui.js";
import type { OperatorInvoice, OperatorInvoiceLine, PaymentAnswer, PayoutStatement } from "./wire.js";

type Params = { invoiceId: string };
type ListQuery = { status?: string; month?: string; after?: string };

const invoiceStatuses = [
  { value: "", label: "Any status" },
  { value: "open", label: "Open" },
  { value: "paid", label: "Paid" },
  { value: "failed", label: "Payment failed" },
] as const;

function invoiceBadge(status: string): SafeHtml {
  const words: Record<string, string> = { open: "Open", paid: "Paid", failed: "Payment failed" };
  const tone = status === "paid" ? "good" : status === "failed" ? "bad" : "wait";
  return html`<span class="badge badge-${tone}">${words[status] ?? status}</span>`;
}

interface ListView {
  signedIn: SignedIn;
  query: ListQuery;
  invoices: OperatorInvoice[];
  next: string | null;
  errors: { status?: string | undefined; month?: string | undefined };
  flash?: Flash | undefined;
}

function invoicesPage(view: ListView): SafeHtml {
  const { signedIn, query, invoices } = view;
  return layout(
    { title: "Invoices", current: "operator-invoices", signedIn, flash: view.flash },
    html`<p>Every billing account's invoices, newest month first. Mark an open invoice paid or failed as the payment provider would; a failed payment suspends its subscriptions, a payment afterwards reinstates them.</p>
<form method="get" action="${operatorPaths.invoices}" class="card filters">
${selectField({ name: "status", label: "Status", choices: invoiceStatuses, value: query.status, error: view.errors.status })}
${textField({ name: "month", label: "Month", hint: "A calendar month like 2026-05; leave empty for every month.", value: query.month, error: view.errors.month, autocomplete: "off" })}
<button type="submit" class="secondary">Show</button>
</form>
<div class="actions">${buttonForm(signedIn, `${operatorPaths.invoices}/run`, "Run billing now", { tone: "secondary" })}${csvLink(invoicesCsvHref(query), "the invoices shown")}</div>
${
  invoices.length === 0
    ? html`<p class="card notice">No invoices${query.status || query.month ? " match" : " yet: they are issued after each month ends"}.</p>`
    : html`<table>
<caption class="visually-hidden">Invoices, newest month first</caption>
<thead><tr><th scope="col">Month</th><th scope="col">Billing account</th><th scope="col">Status</th><th scope="col" class="number">Total</th><th scope="col" class="number">Lines</th><th scope="col">Issued</th><th scope="col">Invoice</th></tr></thead>
<tbody>${invoices.map(
        (invoice) => html`<tr>
<td data-label="Month">${invoice.month}</td>
<td data-label="Billing account"><code>${invoice.billingAccount}</code></td>
<td data-label="Status">${invoiceBadge(invoice.status)}</td>
<td data-label="Total" class="number">${money(invoice.total, invoice.currency)}</td>
<td data-label="Lines" class="number">${String(invoice.lineCount)}</td>
<td data-label="Issued">${dayText(invoice.issuedAt)}</td>
<td data-label="Invoice"><a href="${invoicePagePath(invoice.id)}">View<span class="visually-hidden"> the invoice of ${invoice.month} for ${invoice.billingAccount}</span></a></td>
</tr>`,
      )}</tbody>
</table>`
}
${
  view.next
    ? html`<p><a href="${operatorPaths.invoices}?${new URLSearchParams({ ...(query.status ? { status: query.status } : {}), ...(query.month ? { month: query.month } : {}), after: view.next }).toString()}">Next page</a></p>`
    : ""
}`,
  );
}

function invoicePage(
  signedIn: SignedIn,
  invoice: OperatorInvoice & { lines: OperatorInvoiceLine[] },
  flash: Flash | undefined,
  problem: string | undefined,
): SafeHtml {
  const action = (path: string) => `${invoicePagePath(invoice.id)}/${path}`;
  return layout(
    { title: `Invoice for ${invoice.month}`, current: "operator-invoices", signedIn, flash },
    html`<p><a href="${operatorPaths.invoices}">Back to invoices</a></p>
<section class="card" aria-labelledby="invoice-facts">
<h2 id="invoice-facts">Summary</h2>
<dl class="facts">
<dt>Status</dt><dd id="invoice-status">${invoiceBadge(invoice.status)}</dd>
<dt>Total</dt><dd>${money(invoice.total, invoice.currency)}</dd>
<dt>Issued</dt><dd>${dayText(invoice.issuedAt)}</dd>
${invoice.paidAt ? html`<dt>Paid</dt><dd>${dayText(invoice.paidAt)}</dd>` : ""}
${invoice.failedAt ? html`<dt>Payment failed</dt><dd>${dayText(invoice.failedAt)}</dd>` : ""}
<dt>Billing account</dt><dd><code>${invoice.billingAccount}</code></dd>
<dt>Clock</dt><dd>${invoice.testClock ? `Test clock ${invoice.testClock}` : "Global clock"}</dd>
<dt>Invoice ID</dt><dd><code>${invoice.id}</code></dd>
</dl>
</section>
<section class="card" aria-labelledby="payment-title">
<h2 id="payment-title">Payment</h2>
${problem ? html`<p class="card problem" role="alert">${problem}</p>` : ""}
${
  invoice.status === "paid"
    ? html`<p>This invoice is paid.</p>`
    : html`<div class="actions">
${buttonForm(signedIn, action("pay"), "Mark paid")}
${invoice.status === "open" ? buttonForm(signedIn, action("fail"), "Mark failed", { tone: "danger" }) : ""}
</div>`
}
</section>
<table>
<caption>Lines</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Description</th><th scope="col">Subscription</th><th scope="col" class="number">Quantity</th><th scope="col" class="number">Unit price</th><th scope="col" class="number">Amount</th></tr></thead>
<tbody>${invoice.lines.map(
      (line) => html`<tr>
<td data-label="Day">${dayText(line.onDay)}</td>
<td data-label="Description">${line.description}</td>
<td data-label="Subscription"><a href="${subscriptionPagePath(line.subscriptionId)}">${line.publisherId} · ${line.offerId} · ${line.planId}</a></td>
<td data-label="Quantity" class="number">${line.quantity === null ? "–" : String(line.quantity)}</td>
<td data-label="Unit price" class="number">${line.unitPrice === null ? "–" : money(line.unitPrice, line.currency)}</td>
<td data-label="Amount" class="number">${money(line.amount, line.currency)}</td>
</tr>`,
    )}</tbody>
</table>`,
  );
}

function payoutsPage(signedIn: SignedIn, storeFeePercent: string, statements: PayoutStatement[]): SafeHtml {
  return layout(
    { title: "Payouts", current: "operator-payouts", signedIn },
    html`<p>What each publisher is paid per month: the lines of paid invoices, less the store fee of ${storeFeePercent}%.</p>
<div class="actions">${csvLink(operatorCsvPaths.payouts, "the payout statements")}</div>
${
  statements.length === 0
    ? html`<p class="card notice">No payout statements yet: they appear once invoices are paid.</p>`
    : html`<table>
<caption class="visually-hidden">Payout statements</caption>
<thead><tr><th scope="col">Publisher</th><th scope="col">Month</th><th scope="col" class="number">Collected</th><th scope="col" class="number">Store fee</th><th scope="col" class="number">Payout</th><th scope="col" class="number">Invoices</th><th scope="col" class="number">Lines</th></tr></thead>
<tbody>${statements.map(
        (statement) => html`<tr>
<td data-label="Publisher">${statement.publisherId}</td>
<td data-label="Month">${statement.month}</td>
<td data-label="Collected" class="number">${money(statement.collected, statement.currency)}</td>
<td data-label="Store fee" class="number">${money(statement.storeFee, statement.currency)}</td>
<td data-label="Payout" class="number">${money(statement.payout, statement.currency)}</td>
<td data-label="Invoices" class="number">${String(statement.invoices)}</td>
<td data-label="Lines" class="number">${String(statement.lines)}</td>
</tr>`,
      )}</tbody>
</table>`
}`,
  );
}

const invoiceApi = (id: string) => `/operator/v1/invoices/${encodeURIComponent(id)}`;

/** Which filter field an API refusal of the list names. */
function filterErrors(error: ApiCallError): ListView["errors"] {
  const target = error.target ?? "";
  if (target === "month") return { month: error.message };
  return { status: error.message };
}

/** Every invoice, one invoice with its lines and its payment marks, the billing run, and payouts. */
export function registerInvoiceRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: ListQuery & { done?: string; issued?: string } }>(
    "/invoices",
    async (request, reply) => {
      const { persona, signedIn } = operatorOf(request);
      const query: ListQuery = {
        status: request.query.status || undefined,
        month: request.query.month?.trim() || undefined,
        after: request.query.after || undefined,
      };
      const issued = countOf(request.query.issued);
      const flash: Flash | undefined =
        request.query.done === "run" && issued !== undefined
          ? { tone: "success", text: `Billing is up to date: ${plural(issued, "invoice")} issued.` }
          : undefined;
      const search = new URLSearchParams(
        Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ).toString();
      try {
        const { body } = await deps.api.call<{ invoices: OperatorInvoice[]; next: string | null }>(
          persona,
          "GET",
          `/operator/v1/invoices${search ? `?${search}` : ""}`,
        );
        return sendPage(
          reply,
          200,
          invoicesPage({ signedIn, query, invoices: body.invoices, next: body.next, errors: {}, flash }),
        );
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return sendPage(
          reply,
          error.status,
          invoicesPage({ signedIn, query, invoices: [], next: null, errors: filterErrors(error) }),
        );
      }
    },
  );

  app.post("/invoices/run", { bodyLimit: formBodyLimit }, async (request, reply) => {
    const { persona } = operatorOf(request);
    const { body } = await deps.api.call<{ runs: { invoicesIssued: number }[] }>(
      persona,
      "POST",
      "/operator/v1/billing/run",
    );
    const issued = body.runs.reduce((sum, run) => sum + run.invoicesIssued, 0);
    return seeOther(reply, `${operatorPaths.invoices}?done=run&issued=${issued}`);
  });

  async function show(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    status: number,
    flash: Flash | undefined,
    problem: string | undefined,
  ) {
    const { persona, signedIn } = operatorOf(request);
    const { body } = await deps.api.call<OperatorInvoice & { lines: OperatorInvoiceLine[] }>(
      persona,
      "GET",
      invoiceApi(request.params.invoiceId),
    );
    return sendPage(reply, status, invoicePage(signedIn, body, flash, problem));
  }

  app.get<{ Params: Params; Querystring: { done?: string; suspended?: string; reinstated?: string } }>(
    "/invoices/:invoiceId",
    async (request, reply) => {
      const { done } = request.query;
      const suspended = countOf(request.query.suspended) ?? 0;
      const reinstated = countOf(request.query.reinstated) ?? 0;
      const flash: Flash | undefined =
        done === "paid"
          ? {
              tone: "success",
              text: `Marked paid.${reinstated > 0 ? ` ${plural(reinstated, "subscription")} reinstated.` : ""}`,
            }
          : done === "failed"
            ? {
                tone: "success",
                text: `Marked failed.${suspended > 0 ? ` ${plural(suspended, "subscription")} suspended.` : ""}`,
              }
            : undefined;
      return show(request, reply, 200, flash, undefined);
    },
  );

  for (const [path, done] of [
    ["pay", "paid"],
    ["fail", "failed"],
  ] as const) {
    app.post<{ Params: Params }>(
      `/invoices/:invoiceId/${path}`,
      { bodyLimit: formBodyLimit },
      async (request, reply) => {
        const { persona } = operatorOf(request);
        try {
          const { body } = await deps.api.call<PaymentAnswer>(
            persona,
            "POST",
            `${invoiceApi(request.params.invoiceId)}/${path}`,
          );
          const query = new URLSearchParams({
            done,
            suspended: String(body.suspended.length),
            reinstated: String(body.reinstated.length),
          });
          return seeOther(reply, `${invoicePagePath(request.params.invoiceId)}?${query.toString()}`);
        } catch (error) {
          if (!isRefusal(error) || error.status === 404) throw error;
          return show(request, reply, error.status, undefined, error.message);
        }
      },
    );
  }

  app.get("/payouts", async (request, reply) => {
    const { persona, signedIn } = operatorOf(request);
    const { body } = await deps.api.call<{ storeFeePercent: string; statements: PayoutStatement[] }>(
      persona,
      "GET",
      "/operator/v1/payouts",
    );
    return sendPage(reply, 200, payoutsPage(signedIn, body.storeFeePercent, body.statements));
  });
}
