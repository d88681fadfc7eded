import { html, type SafeHtml } from "../../http/html.js";
import { textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { type ClockMoveFired, clockMoveCard, type NextRenewal } from "./clock-routes.js";
import { buttonForm, countOf, instantText, plural, subscriptionPagePath } from "./ui.js";
import type { ClockView } from "./wire.js";

/** The operator console's test clocks page. */
export const testClocksPath = "/console/operator/clocks";

export const testClockPath = (name: string) => `${testClocksPath}/${encodeURIComponent(name)}`;

/** The API's rule for a test clock name, used to trust names read back from a redirect's query. */
export const testClockNamePattern = /^[A-Za-z0-9._-]{1,64}$/;

const dayMs = 86_400_000;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export const testClockMoves = {
  day: "by a day",
  month: "by a month",
  renewal: "to the next renewal",
} as const;

export type TestClockMoveKind = keyof typeof testClockMoves;

/** A move of one test clock, carried through the redirect after it. */
export interface TestClockMoveShown extends ClockMoveFired {
  clock: string;
  kind: TestClockMoveKind;
}

export function moveSearch(move: TestClockMoveShown): string {
  return new URLSearchParams({
    clock: move.clock,
    moved: move.kind,
    before: move.before,
    now: move.now,
    renewed: String(move.renewed),
    trials: String(move.trialsConverted),
    ended: String(move.unsubscribed),
    overdue: String(move.overdue),
  }).toString();
}

/** The move a redirect's query describes, when it is well-formed. */
export function moveFromQuery(query: Record<string, string | undefined>): TestClockMoveShown | undefined {
  const { clock = "", moved = "", before = "", now = "" } = query;
  const renewed = countOf(query.renewed);
  const trialsConverted = countOf(query.trials);
  const unsubscribed = countOf(query.ended);
  if (!testClockNamePattern.test(clock) || !(moved in testClockMoves)) return undefined;
  if (!instantPattern.test(before) || !instantPattern.test(now)) return undefined;
  if (renewed === undefined || trialsConverted === undefined || unsubscribed === undefined) return undefined;
  const kind = moved as TestClockMoveKind;
  return {
    clock,
    kind,
    before,
    now,
    renewed,
    trialsConverted,
    unsubscribed,
    overdue: countOf(query.overdue) ?? 0,
  };
}

function moveResult(move: TestClockMoveShown): SafeHtml {
  return clockMoveCard(`Test clock ${move.clock} moved ${testClockMoves[move.kind]}`, move);
}

export interface TestClocksView {
  signedIn: SignedIn;
  clocks: ClockView[];
  clockControl: boolean;
  /** The next renewal on each test clock, by name. */
  renewals: ReadonlyMap<string, NextRenewal>;
  move?: TestClockMoveShown | undefined;
  flash?: Flash | undefined;
  /** A refused move, shown above the list. */
  problem?: string | undefined;
  /** A refused creation, shown next to the name field. */
  creation?: { name: string; error: string } | undefined;
}

/** Rounded: a clock moved "by a day" ends a few milliseconds short of a day ahead of real time. */
function aheadText(offsetMs: number): string {
  const days = Math.round(offsetMs / dayMs);
  return days === 0 ? "less than a day" : plural(days, "day");
}

function moveButtons(signedIn: SignedIn, name: string, renewal: NextRenewal | undefined): SafeHtml {
  const label = (text: string) => html`${text}<span class="visually-hidden"> on ${name}</span>`;
  const advance = `${testClockPath(name)}/advance`;
  return html`<div class="actions">
${buttonForm(signedIn, advance, label("Advance a day"), { hidden: { move: "day" }, tone: "secondary" })}
${buttonForm(signedIn, advance, label("Advance a month"), { hidden: { move: "month" }, tone: "secondary" })}
${renewal ? buttonForm(signedIn, `${testClockPath(name)}/next-renewal`, label("Advance to the next renewal"), { tone: "secondary" }) : ""}
</div>`;
}

function clockTable(view: TestClocksView): SafeHtml {
  if (view.clocks.length === 0) {
    return html`<p class="card notice" id="no-test-clocks">No test clock yet.</p>`;
  }
  return html`<table>
<thead><tr><th scope="col">Test clock</th><th scope="col">Time</th><th scope="col">Ahead of real time</th><th scope="col">Next renewal</th>${
    view.clockControl ? html`<th scope="col">Move forward</th>` : ""
  }</tr></thead>
<tbody>${view.clocks.map((clock) => {
    const name = clock.testClock ?? "";
    const renewal = view.renewals.get(name);
    return html`<tr data-clock="${name}">
<td data-label="Test clock"><code>${name}</code></td>
<td data-label="Time" class="clock-now">${instantText(clock.now)}</td>
<td data-label="Ahead of real time">${aheadText(clock.offsetMs)}</td>
<td data-label="Next renewal">${
      renewal
        ? html`${instantText(renewal.at)}: <a href="${subscriptionPagePath(renewal.subscription.id)}">${renewal.subscription.name}</a>`
        : "None"
    }</td>
${view.clockControl ? html`<td data-label="Move forward">${moveButtons(view.signedIn, name, renewal)}</td>` : ""}
</tr>`;
  })}</tbody>
</table>`;
}

function createForm(view: TestClocksView): SafeHtml {
  return html`<section class="card" aria-labelledby="create-clock-title">
<h2 id="create-clock-title">Create a test clock</h2>
<p>It starts at the global clock's time. Buy on it with <code>testClock</code> in a purchase.</p>
<form method="post" action="${testClocksPath}" novalidate>
${csrfInput(view.signedIn.csrfToken)}
${textField({
  name: "name",
  label: "Name",
  hint: "1 to 64 characters: letters, digits, '-', '_' and '.'.",
  value: view.creation?.name ?? "",
  error: view.creation?.error,
  required: true,
  autocomplete: "off",
})}
<button type="submit">Create the test clock</button>
</form>
</section>`;
}

/** Every test clock with its time and moves, and the form that creates one. */
export function testClocksPage(view: TestClocksView): SafeHtml {
  return layout(
    { title: "Test clocks", current: "operator-clocks", signedIn: view.signedIn, flash: view.flash },
    html`<p class="lead">A test clock keeps its own time: subscriptions bought on it follow it, and moving it leaves the global clock and the other test clocks where they are.</p>
${view.move ? moveResult(view.move) : ""}
${view.problem ? html`<p class="card problem" role="alert">${view.problem}</p>` : ""}
${
  view.clockControl
    ? ""
    : html`<p class="card notice">Clock control is off on this Saasport (SAASPORT_CLOCK_CONTROL): test clocks cannot be created or moved.</p>`
}
${view.clockControl ? createForm(view) : ""}
<section aria-labelledby="clocks-title">
<h2 id="clocks-title">Test clocks and their time</h2>
${clockTable(view)}
</section>`,
  );
}
