import { html, type SafeHtml } from "../../http/html.js";
import { money } from "../format.js";
import { problemSummary, textField } from "../pages/fields.js";
import { layout, type SignedIn } from "../pages/layout.js";
import { barChart, chartLegend } from "./chart.js";
import { portalPaths } from "./paths.js";
import { portalStyles } from "./styles.js";
import { axisNumber, monthsBetween } from "./text.js";
import type { Payouts, Revenue, RevenueMonth } from "./wire.js";

export interface RevenuePageView {
  signedIn: SignedIn;
  range: { from: string; to: string };
  revenue: Revenue | undefined;
  payouts: Payouts | undefined;
  failure?: { field: string | undefined; message: string } | undefined;
}

/** Revenue per month (a bar chart per currency with its numbers beside it) and payout statements. */
export function revenuePage(view: RevenuePageView): SafeHtml {
  const { range, failure } = view;
  const currencies = [...new Set((view.revenue?.months ?? []).map((month) => month.currency))].sort();
  return layout(
    { title: "Revenue and payouts", current: "portal-revenue", signedIn: view.signedIn },
    html`${portalStyles()}
<form method="get" action="${portalPaths.revenue}" class="card" aria-labelledby="range-heading">
<h2 id="range-heading">Months</h2>
${failure ? problemSummary("The months were not shown", [failure.message]) : ""}
<div class="filters">
${textField({
  name: "from",
  label: "From month",
  value: range.from,
  hint: "YYYY-MM",
  error: failure?.field === "from" ? failure.message : undefined,
})}
${textField({
  name: "to",
  label: "To month",
  value: range.to,
  hint: "YYYY-MM",
  error: failure?.field === "to" ? failure.message : undefined,
})}
<button type="submit">Show</button>
</div>
</form>
<section aria-labelledby="revenue-heading">
<h2 id="revenue-heading">Revenue per month</h2>
${
  !view.revenue
    ? ""
    : currencies.length === 0
      ? html`<p class="card notice">No revenue from ${range.from} to ${range.to}.</p>`
      : currencies.map((currency) => currencyBlock(view.revenue as Revenue, currency))
}
</section>
<section aria-labelledby="payouts-heading">
<h2 id="payouts-heading">Payout statements</h2>
${view.payouts ? payoutTable(view.payouts) : ""}
</section>`,
  );
}

function currencyBlock(revenue: Revenue, currency: string): SafeHtml {
  const months = monthsBetween(revenue.from, revenue.to);
  const byMonth = new Map<string, RevenueMonth>();
  for (const month of revenue.months) if (month.currency === currency) byMonth.set(month.month, month);
  const series = [
    { name: "Total", values: months.map((m) => Number(byMonth.get(m)?.total ?? "0")) },
    { name: "Collected", values: months.map((m) => Number(byMonth.get(m)?.collected ?? "0")) },
  ];
  const shown = [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
  const sum = shown.reduce((total, month) => total + Number(month.total), 0);
  return html`<div class="chart-and-table">
<figure class="card">
${barChart({
  id: `revenue-chart-${currency.toLowerCase()}`,
  title: `Revenue per month in ${currency}, ${revenue.from} to ${revenue.to}`,
  description: `Bars of the total and the collected revenue of each month; ${shown.length} month(s) with revenue. The table beside the chart has the exact amounts.`,
  categories: months,
  series,
  axisLabel: (value) => `${axisNumber(value)}`,
})}
${chartLegend(series)}
<figcaption class="muted">Amounts in ${currency}; about ${axisNumber(sum)} in all.</figcaption>
</figure>
<table>
<caption>Revenue in ${currency}</caption>
<thead><tr><th scope="col">Month</th><th scope="col" class="number">Total</th><th scope="col" class="number">Invoiced</th><th scope="col" class="number">Collected</th></tr></thead>
<tbody>${shown.map(
    (month) => html`<tr>
<th scope="row" data-label="Month">${month.month}</th>
<td data-label="Total" class="number">${money(month.total, currency)}</td>
<td data-label="Invoiced" class="number">${money(month.invoiced, currency)}</td>
<td data-label="Collected" class="number">${money(month.collected, currency)}</td>
</tr>`,
  )}</tbody>
</table>
</div>`;
}

function payoutTable(payouts: Payouts): SafeHtml {
  if (payouts.statements.length === 0) {
    return html`<p class="card notice">No payouts yet: a payout statement appears once a buyer pays an invoice.</p>`;
  }
  return html`<table>
<caption>Payouts (store fee ${payouts.storeFeePercent}%)</caption>
<thead><tr><th scope="col">Month collected</th><th scope="col" class="number">Collected</th><th scope="col" class="number">Store fee</th><th scope="col" class="number">Payout</th><th scope="col" class="number">Invoices</th></tr></thead>
<tbody>${payouts.statements.map(
    (statement) => html`<tr>
<th scope="row" data-label="Month collected">${statement.month}</th>
<td data-label="Collected" class="number">${money(statement.collected, statement.currency)}</td>
<td data-label="Store fee" class="number">${money(statement.storeFee, statement.currency)}</td>
<td data-label="Payout" class="number">${money(statement.payout, statement.currency)}</td>
<td data-label="Invoices" class="number">${statement.invoices}</td>
</tr>`,
  )}</tbody>
</table>`;
}
