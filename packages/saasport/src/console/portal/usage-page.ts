import { html, type SafeHtml } from "../../http/html.js";
import { problemSummary, textField } from "../pages/fields.js";
import { layout, type SignedIn } from "../pages/layout.js";
import { barChart, chartLegend } from "./chart.js";
import { portalPaths } from "./paths.js";
import { portalStyles } from "./styles.js";
import { axisNumber, daysBetween, fromMicros, toMicros } from "./text.js";
import type { UsageRow } from "./wire.js";

export interface UsagePageView {
  signedIn: SignedIn;
  range: { from: string; to: string; dimension: string };
  usage: UsageRow[] | undefined;
  failure?: { field: string | undefined; message: string } | undefined;
}

/** Accepted usage per dimension per day: a bar chart per dimension with a table of the exact numbers. */
export function usagePage(view: UsagePageView): SafeHtml {
  const { range, failure } = view;
  const errorOf = (field: string) => (failure?.field === field ? failure.message : undefined);
  const dimensions = [...new Set((view.usage ?? []).map((row) => row.dimension))].sort();
  return layout(
    { title: "Usage", current: "portal-usage", signedIn: view.signedIn },
    html`${portalStyles()}
<form method="get" action="${portalPaths.usage}" class="card" aria-labelledby="range-heading">
<h2 id="range-heading">Days</h2>
${failure ? problemSummary("The usage was not shown", [failure.message]) : ""}
<div class="filters">
${textField({ name: "from", label: "From day", value: range.from, hint: "YYYY-MM-DD", error: errorOf("from") })}
${textField({ name: "to", label: "To day", value: range.to, hint: "YYYY-MM-DD", error: errorOf("to") })}
${textField({ name: "dimension", label: "Dimension (optional)", value: range.dimension, hint: "A dimension id", error: errorOf("dimension") })}
<button type="submit">Show</button>
</div>
</form>
${
  !view.usage
    ? ""
    : dimensions.length === 0
      ? html`<p class="card notice">No usage from ${range.from} to ${range.to}.</p>`
      : dimensions.map((dimension) =>
          dimensionBlock(
            dimension,
            range,
            (view.usage ?? []).filter((row) => row.dimension === dimension),
          ),
        )
}`,
  );
}

function dimensionBlock(dimension: string, range: { from: string; to: string }, rows: UsageRow[]): SafeHtml {
  const days = daysBetween(range.from, range.to);
  const perDay = new Map<string, { micros: bigint; events: number }>();
  for (const row of rows) {
    const day = perDay.get(row.day) ?? { micros: 0n, events: 0 };
    day.micros += toMicros(row.quantity);
    day.events += row.events;
    perDay.set(row.day, day);
  }
  const series = [
    { name: dimension, values: days.map((day) => Number(fromMicros(perDay.get(day)?.micros ?? 0n))) },
  ];
  const id = `usage-${dimension.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const shown = [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b));
  return html`<section aria-labelledby="${id}-heading">
<h2 id="${id}-heading">Dimension <code>${dimension}</code></h2>
<div class="chart-and-table">
<figure class="card">
${barChart({
  id: `${id}-chart`,
  title: `Usage of ${dimension} per day, ${range.from} to ${range.to}`,
  description: `One bar per day; ${shown.length} day(s) with usage. The table beside the chart has the exact quantities.`,
  categories: days.map((day) => day.slice(5)),
  series,
  axisLabel: axisNumber,
})}
${chartLegend(series)}
</figure>
<table>
<caption>Usage of ${dimension}</caption>
<thead><tr><th scope="col">Day</th><th scope="col" class="number">Quantity</th><th scope="col" class="number">Events</th></tr></thead>
<tbody>${shown.map(
    ([day, total]) => html`<tr>
<th scope="row" data-label="Day">${day}</th>
<td data-label="Quantity" class="number">${fromMicros(total.micros)}</td>
<td data-label="Events" class="number">${total.events}</td>
</tr>`,
  )}</tbody>
</table>
</div>
</section>`;
}
