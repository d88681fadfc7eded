import { html, type SafeHtml } from "../../http/html.js";
import type { LogRecord } from "../log-repository.js";
import type { WebhookMode } from "../webhook-decision.js";
import { layout, type PageFrame } from "./layout.js";

export interface DashboardView {
  publisherId: string;
  records: LogRecord[];
  /** Link to the next (older) page, when there is one. */
  olderHref: string | undefined;
  firstPage: boolean;
  mode: WebhookMode;
  settingsCsrf: string;
}

const modeChoices: { mode: WebhookMode; label: string; hint: string }[] = [
  { mode: "accept", label: "Accept", hint: "answer 200 and acknowledge plan and seat changes" },
  { mode: "reject-changes", label: "Reject changes", hint: "answer 400 to ChangePlan and ChangeQuantity" },
  { mode: "fail", label: "Fail", hint: "answer 503 to every webhook, so the marketplace retries" },
];

/** The app's own record of what it saw and did, newest first, and how it answers webhooks. */
export function dashboardPage(frame: PageFrame, view: DashboardView): SafeHtml {
  const base = `/demo-isv/${encodeURIComponent(view.publisherId)}`;
  return layout(
    frame,
    html`<section class="card" aria-labelledby="settings">
<h2 id="settings">Webhook behaviour</h2>
<form method="post" action="${base}/settings">
<input type="hidden" name="csrf" value="${view.settingsCsrf}">
<fieldset>
<legend>How this app answers webhooks</legend>
${modeChoices.map(
  (choice) =>
    html`<div><input type="radio" id="mode-${choice.mode}" name="mode" value="${choice.mode}"${
      choice.mode === view.mode ? html` checked` : ""
    }> <label for="mode-${choice.mode}"><strong>${choice.label}</strong>: ${choice.hint}</label></div>`,
)}
</fieldset>
<p><button type="submit">Save</button></p>
</form>
</section>
<section aria-labelledby="log">
<h2 id="log">Log</h2>
<p><a href="${base}/log.json">This log as JSON</a></p>
${
  view.records.length === 0
    ? html`<p class="card">Nothing yet. Buy one of this publisher's offers and open its landing page.</p>`
    : html`<table>
<thead><tr><th scope="col">When (UTC)</th><th scope="col">What</th><th scope="col">Subscription</th><th scope="col">Details</th></tr></thead>
<tbody>
${view.records.map(
  (record) => html`<tr>
<td>${record.createdAt.replace("T", " ").slice(0, 19)}</td>
<td>${record.kind}</td>
<td>${record.subscriptionId ? html`<code>${record.subscriptionId}</code>` : "—"}</td>
<td>${record.summary}<details><summary>Detail</summary><pre>${JSON.stringify(record.detail, null, 2)}</pre></details></td>
</tr>`,
)}
</tbody>
</table>`
}
<nav aria-label="Log pages"><p>${view.firstPage ? "" : html`<a href="${base}/">Newest</a> `}${
      view.olderHref ? html`<a href="${view.olderHref}">Older entries</a>` : ""
    }</p></nav>
</section>`,
  );
}
