import { html, type SafeHtml } from "../../http/html.js";

export interface BarSeries {
  name: string;
  /** One value per category, in the categories' order (numbers only for the drawing; tables carry the text). */
  values: number[];
}

export interface BarChartOptions {
  /** Unique in the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  description: string;
  categories: string[];
  series: BarSeries[];
  /** How an axis value is written ("$1,200", "30"). */
  axisLabel(value: number): string;
}

const width = 640;
const height = 300;
const margin = { top: 16, right: 12, bottom: 44, left: 72 };

/** A "nice" top of the axis: 1, 2, 2.5 or 5 times a power of ten, at or above the largest value. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/**
 * A grouped bar chart drawn on the server as inline SVG (no script, no CDN). It is an image with a
 * title and a description for screen readers; the page shows the same numbers in a table beside it.
 */
export function barChart(options: BarChartOptions): SafeHtml {
  const { categories, series } = options;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const top = niceCeiling(Math.max(0, ...series.flatMap((s) => s.values)));
  const y = (value: number) => margin.top + plotHeight - (Math.max(0, value) / top) * plotHeight;
  const slot = plotWidth / Math.max(1, categories.length);
  const groupWidth = slot * 0.75;
  const barWidth = groupWidth / Math.max(1, series.length);
  // Label every category when they fit, else every n-th.
  const labelEvery = Math.max(1, Math.ceil(categories.length / 6));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => fraction * top);
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  return html`<svg class="chart" id="${options.id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg">
<title id="${titleId}">${options.title}</title>
<desc id="${descId}">${options.description}</desc>
<g aria-hidden="true">
${ticks.map(
  (
    tick,
  ) => html`<line class="grid-line" x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick)}" y2="${y(tick)}"></line>
<text x="${margin.left - 6}" y="${y(tick) + 4}" text-anchor="end">${options.axisLabel(tick)}</text>`,
)}
<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${y(0)}" y2="${y(0)}"></line>
${categories.map((category, index) => {
  const left = margin.left + index * slot + (slot - groupWidth) / 2;
  return html`${series.map((s, seriesIndex) => {
    const value = s.values[index] ?? 0;
    const barTop = y(value);
    return html`<rect class="bar${seriesIndex > 0 ? ` bar-${(seriesIndex % 4) + 1}` : ""}" x="${(left + seriesIndex * barWidth).toFixed(1)}" y="${barTop.toFixed(1)}" width="${Math.max(1, barWidth - 2).toFixed(1)}" height="${(y(0) - barTop).toFixed(1)}"></rect>`;
  })}${
    index % labelEvery === 0
      ? html`<text x="${(margin.left + index * slot + slot / 2).toFixed(1)}" y="${height - margin.bottom + 18}" text-anchor="middle">${category}</text>`
      : ""
  }`;
})}
</g>
</svg>`;
}

/** The legend of a chart with more than one series (colours match the bars). */
export function chartLegend(series: BarSeries[]): SafeHtml {
  if (series.length < 2) return html``;
  return html`<ul class="legend">${series.map(
    (s, index) =>
      html`<li><span class="swatch${index > 0 ? ` swatch-${(index % 4) + 1}` : ""}" aria-hidden="true"></span>${s.name}</li>`,
  )}</ul>`;
}
