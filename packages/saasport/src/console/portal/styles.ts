import { html, type SafeHtml } from "../../http/html.js";
import { portalPaths } from "./paths.js";

/**
 * The portal's own additions to the console stylesheet (charts, payloads, the chart-beside-table
 * layout), served from /console/portal/portal.css: the content security policy allows only
 * stylesheets of this server, never inline styles. Bar and text colours meet WCAG AA on white.
 */
export const portalStylesheet = `
.chart-and-table{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start;margin:0 0 1rem}
.chart-and-table>*{min-width:0}
.chart{width:100%;height:auto;display:block;background:#fff;border:1px solid #c4c9d1;border-radius:.5rem}
.chart .bar{fill:#0a4a9c}
.chart .bar-2{fill:#8c1d18}
.chart .bar-3{fill:#0b5524}
.chart .bar-4{fill:#4f2374}
.chart .axis{stroke:#5a606b;stroke-width:1}
.chart .grid-line{stroke:#d8dce2;stroke-width:1}
.chart text{fill:#1a1a1a;font-size:12px}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:.5rem 0;padding:0}
.legend .swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.35rem;vertical-align:-.1rem;border-radius:.15rem;background:#0a4a9c}
.legend .swatch-2{background:#8c1d18}
.legend .swatch-3{background:#0b5524}
.legend .swatch-4{background:#4f2374}
pre.payload{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f6f8;border:1px solid #c4c9d1;border-radius:.3rem;padding:.6rem;margin:.4rem 0 .75rem;font-size:.85rem}
details{margin:.5rem 0}
details>summary{cursor:pointer;font-weight:600;color:#0a4a9c}
.secret{font-size:1.05rem;overflow-wrap:anywhere;background:#fff4ce;color:#1a1a1a;padding:.2rem .4rem;border-radius:.2rem}
.meter-prices{border-left:4px solid #c4c9d1;padding:0 0 0 .75rem}
.plan-row>legend{width:100%;border-top:1px solid #c4c9d1;padding:.75rem 0 0;margin:0 0 .5rem;font-size:1.1rem}
.delivery h3{overflow-wrap:anywhere}
@media (max-width:48rem){.chart-and-table{grid-template-columns:1fr}}
`;

/** Portal pages add their stylesheet at the top of the page's body (a body-ok stylesheet link). */
export function portalStyles(): SafeHtml {
  return html`<link rel="stylesheet" href="${portalPaths.stylesheet}">`;
}
