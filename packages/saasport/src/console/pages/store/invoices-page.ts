import { html, type SafeHtml } from "../../../http/html.js";
import { dayText, money } from "../../format.js";
import { invoicePath, storePaths, subscriptionPath } from "../../store/paths.js";
import type { StoreInvoice, StoreInvoiceLine } from "../../store/wire.js";
import { layout, type SignedIn } from "../layout.js";

/** The billing account's invoices, newest month first. */
export function invoicesPage(signedIn: SignedIn, invoices: StoreInvoice[]): SafeHtml {
  return layout(
    { title: "Invoices", current: "invoices", signedIn },
    html`<p>Invoices are issued after each month for what your tenant pays for (as a reseller, what you bought for customers).</p>
${
  invoices.length === 0
    ? html`<p class="card notice">No invoices yet: the first one is issued after the month of your first charge.</p>`
    : html`<p><a href="${storePaths.invoicesCsv}" download>Download all invoices (CSV)</a></p>
<table>
<caption class="visually-hidden">Your invoices, newest month first</caption>
<thead><tr><th scope="col">Month</th><th scope="col">Status</th><th scope="col" class="number">Total</th><th scope="col" class="number">Lines</th><th scope="col">Issued</th><th scope="col">Invoice</th></tr></thead>
<tbody>${invoices.map(
        (invoice) => html`<tr>
<td data-label="Month">${invoice.month}</td>
<td data-label="Status">${statusWords(invoice.status)}</td>
<td data-label="Total" class="number">${money(invoice.total, invoice.currency)}</td>
<td data-label="Lines" class="number">${String(invoice.lineCount)}</td>
<td data-label="Issued">${dayText(invoice.issuedAt)}</td>
<td data-label="Invoice"><a href="${invoicePath(invoice.id)}">View<span class="visually-hidden"> the invoice of ${invoice.month}</span></a></td>
</tr>`,
      )}</tbody>
</table>`
}`,
  );
}

/** One invoice with its lines. */
export function invoicePage(
  signedIn: SignedIn,
  invoice: StoreInvoice & { lines: StoreInvoiceLine[] },
): SafeHtml {
  return layout(
    { title: `Invoice for ${invoice.month}`, current: "invoices", signedIn },
    html`<p><a href="${storePaths.invoices}">Back to invoices</a></p>
<section class="card" aria-labelledby="invoice-facts">
<h2 id="invoice-facts">Summary</h2>
<dl class="facts">
<dt>Status</dt><dd>${statusWords(invoice.status)}</dd>
<dt>Total</dt><dd>${money(invoice.total, invoice.currency)}</dd>
<dt>Issued</dt><dd>${dayText(invoice.issuedAt)}</dd>
${invoice.paidAt ? html`<dt>Paid</dt><dd>${dayText(invoice.paidAt)}</dd>` : ""}
${invoice.failedAt ? html`<dt>Payment failed</dt><dd>${dayText(invoice.failedAt)}</dd>` : ""}
<dt>Billing account</dt><dd><code>${invoice.billingAccount}</code></dd>
<dt>Invoice ID</dt><dd><code>${invoice.id}</code></dd>
</dl>
<p class="actions"><a href="${invoicePath(invoice.id)}/csv" download>Download this invoice (CSV)</a></p>
</section>
<table>
<caption>Lines</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Description</th><th scope="col">Subscription</th><th scope="col" class="number">Quantity</th><th scope="col" class="number">Unit price</th><th scope="col" class="number">Amount</th></tr></thead>
<tbody>${invoice.lines.map(
      (line) => html`<tr>
<td data-label="Day">${dayText(line.onDay)}</td>
<td data-label="Description">${line.description}</td>
<td data-label="Subscription"><a href="${subscriptionPath(line.subscriptionId)}">${line.offerId} · ${line.planId}</a></td>
<td data-label="Quantity" class="number">${line.quantity ?? "–"}</td>
<td data-label="Unit price" class="number">${line.unitPrice === null ? "–" : money(line.unitPrice, line.currency)}</td>
<td data-label="Amount" class="number">${money(line.amount, line.currency)}</td>
</tr>`,
    )}</tbody>
</table>`,
  );
}

function statusWords(status: string): SafeHtml {
  const words: Record<string, string> = { open: "Open", paid: "Paid", failed: "Payment failed" };
  return html`<span class="badge badge-${status === "paid" ? "good" : status === "failed" ? "bad" : "wait"}">${words[status] ?? status}</span>`;
}
