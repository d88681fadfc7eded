import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import { textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import type { Persona } from "../sessions/persona.js";
import { isRefusal, readableMessage } from "../store/api-errors.js";
import { operatorOf } from "./guard.js";
import { buttonForm, countOf, instantText, operatorPaths, plural, subscriptionPagePath } from "./ui.js";
import type { ClockMove, ClockView, OperatorSubscription, SubscriptionPage } from "./wire.js";

const dayMs = 86_400_000;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The next renewal on the global clock: the earliest due renewal of an active subscription. */
export interface NextRenewal {
  at: string;
  subscription: OperatorSubscription;
}

/** Every subscription of a status, page by page (at most 10 000). */
export async function allSubscriptions(
  deps: ConsoleDeps,
  persona: Persona,
  status: string,
): Promise<OperatorSubscription[]> {
  const found: OperatorSubscription[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages += 1) {
    const query: string = `?status=${status}&limit=500${after ? `&after=${encodeURIComponent(after)}` : ""}`;
    const { body } = await deps.api.call<SubscriptionPage>(
      persona,
      "GET",
      `/operator/v1/subscriptions${query}`,
    );
    found.push(...body.subscriptions);
    after = body.nextAfter;
    if (!after) break;
  }
  return found;
}

/**
 * When a subscription of the global clock renews next: its next timed transition when that is a
 * renewal, else (auto-renewing, no transition given) the day after its term ends.
 */
export function renewalOf(subscription: OperatorSubscription): string | undefined {
  if (subscription.testClock !== null || subscription.saasSubscriptionStatus !== "Subscribed")
    return undefined;
  if (subscription.nextTransition) {
    return subscription.nextTransition.kind === "renew" ? subscription.nextTransition.at : undefined;
  }
  if (!subscription.autoRenew || !subscription.term.endDate) return undefined;
  const end = Date.parse(subscription.term.endDate);
  return Number.isNaN(end) ? undefined : new Date(end + dayMs).toISOString();
}

export async function nextRenewal(deps: ConsoleDeps, persona: Persona): Promise<NextRenewal | undefined> {
  let next: NextRenewal | undefined;
  for (const subscription of await allSubscriptions(deps, persona, "Subscribed")) {
    const at = renewalOf(subscription);
    if (at && (!next || Date.parse(at) < Date.parse(next.at))) next = { at, subscription };
  }
  return next;
}

interface MoveShown {
  label: string;
  before: string;
  now: string;
  renewed: number;
  trialsConverted: number;
  unsubscribed: number;
  overdue: number;
}

const moveLabels: Record<string, string> = {
  day: "by a day",
  month: "by a month",
  renewal: "to the next renewal",
  custom: "by the duration entered",
};

/** The move a redirect's query describes (`?moved=`), when it is well-formed. */
function moveOf(query: Record<string, string | undefined>): MoveShown | undefined {
  const label = moveLabels[query.moved ?? ""];
  const { before = "", now = "" } = query;
  const renewed = countOf(query.renewed);
  const trialsConverted = countOf(query.trials);
  const unsubscribed = countOf(query.ended);
  const overdue = countOf(query.overdue);
  if (!label || !instantPattern.test(before) || !instantPattern.test(now)) return undefined;
  if (renewed === undefined || trialsConverted === undefined || unsubscribed === undefined) return undefined;
  return { label, before, now, renewed, trialsConverted, unsubscribed, overdue: overdue ?? 0 };
}

function moveQuery(kind: string, move: ClockMove): string {
  const query = new URLSearchParams({
    moved: kind,
    before: move.before,
    now: move.now,
    renewed: String(move.transitions.renewed),
    trials: String(move.transitions.trialsConverted),
    ended: String(move.transitions.unsubscribed),
    overdue: String(move.overdue),
  });
  return `${operatorPaths.home}?${query.toString()}`;
}

/** What a clock move fired, shown after the move (the operator's clock and test clocks alike). */
export type ClockMoveFired = Omit<MoveShown, "label">;

export function clockMoveCard(title: string, move: ClockMoveFired, footer: SafeHtml | "" = ""): SafeHtml {
  const fired = move.renewed + move.trialsConverted + move.unsubscribed;
  return html`<section class="card success" id="move-result" aria-labelledby="move-result-title">
<h2 id="move-result-title">${title}</h2>
<p>From ${instantText(move.before)} to ${instantText(move.now)}: ${
    fired === 0 ? "no transition was due on the way." : html`${plural(fired, "transition")} fired.`
  }</p>
<dl class="facts" aria-label="Transitions fired">
<dt>Renewed</dt><dd data-count="renewed">${String(move.renewed)}</dd>
<dt>Trials converted</dt><dd data-count="trials">${String(move.trialsConverted)}</dd>
<dt>Ended</dt><dd data-count="ended">${String(move.unsubscribed)}</dd>
${move.overdue > 0 ? html`<dt>Still due (see the log)</dt><dd>${String(move.overdue)}</dd>` : ""}
</dl>
${footer}
</section>`;
}

function moveResult(move: MoveShown): SafeHtml {
  return clockMoveCard(
    `The clock moved ${move.label}`,
    move,
    html`<p><a href="${operatorPaths.events}">See the events</a> · <a href="${operatorPaths.invoices}">See the invoices</a></p>`,
  );
}

interface HomeView {
  signedIn: SignedIn;
  clock: ClockView;
  next: NextRenewal | undefined;
  move?: MoveShown | undefined;
  flash?: Flash | undefined;
  failure?: { field: "duration" | "moves"; message: string; value: string } | undefined;
}

function homePage(view: HomeView): SafeHtml {
  const { signedIn, clock, next, failure } = view;
  const offsetDays = Math.floor(clock.offsetMs / dayMs);
  return layout(
    { title: "Marketplace clock", current: "operator-home", signedIn, flash: view.flash },
    html`<p class="lead">Saasport runs on a clock the operator can move forward: renewals, trial conversions and expiries due on the way fire in time order, and billing catches up.</p>
${view.move ? moveResult(view.move) : ""}
<section class="card" aria-labelledby="clock-title">
<h2 id="clock-title">Now</h2>
<dl class="facts">
<dt>Marketplace time</dt><dd id="clock-now">${instantText(clock.now)}</dd>
<dt>Real time</dt><dd>${instantText(clock.realNow)}</dd>
<dt>Ahead of real time</dt><dd>${offsetDays === 0 ? "less than a day" : plural(offsetDays, "day")}</dd>
<dt>Next renewal</dt><dd id="next-renewal">${
      next
        ? html`${instantText(next.at)}: <a href="${subscriptionPagePath(next.subscription.id)}">${next.subscription.name}</a>`
        : "No active subscription renews on the global clock."
    }</dd>
</dl>
</section>
<section class="card" aria-labelledby="move-title">
<h2 id="move-title">Move the clock forward</h2>
${failure?.field === "moves" ? html`<p class="card problem" role="alert">${failure.message}</p>` : ""}
<div class="actions">
${buttonForm(signedIn, `${operatorPaths.home}/clock/advance`, "Advance a day", { hidden: { duration: "P1D", move: "day" } })}
${buttonForm(signedIn, `${operatorPaths.home}/clock/advance`, "Advance a month", { hidden: { duration: "P1M", move: "month" } })}
${next ? buttonForm(signedIn, `${operatorPaths.home}/clock/next-renewal`, "Advance to the next renewal") : ""}
</div>
<form method="post" action="${operatorPaths.home}/clock/advance" class="custom-move">
${csrfInput(signedIn.csrfToken)}
<input type="hidden" name="move" value="custom">
${textField({
  name: "duration",
  label: "Advance by",
  hint: "An ISO-8601 duration: P1D is a day, PT2H two hours, P1M a month, P1Y a year.",
  value: failure?.field === "duration" ? failure.value : "",
  error: failure?.field === "duration" ? failure.message : undefined,
  required: true,
  autocomplete: "off",
})}
<button type="submit" class="secondary">Advance</button>
</form>
</section>`,
  );
}

/** The operator's home: the global clock, its moves and what they fired. */
export function registerClockRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Partial<Pick<HomeView, "move" | "failure" | "flash">>,
  ) {
    const { persona, signedIn } = operatorOf(request);
    const { body: clock } = await deps.api.call<ClockView>(persona, "GET", "/operator/v1/clock");
    const next = await nextRenewal(deps, persona);
    return sendPage(reply, status, homePage({ signedIn, clock, next, ...extra }));
  }

  app.get<{ Querystring: Record<string, string | undefined> }>("/", async (request, reply) =>
    show(request, reply, 200, { move: moveOf(request.query) }),
  );

  /** Moves the clock; a refusal is shown next to the form that asked. */
  async function move(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: string,
    duration: string | number,
    entered: string,
  ) {
    const { persona } = operatorOf(request);
    try {
      const { body } = await deps.api.call<ClockMove>(persona, "POST", "/operator/v1/clock/advance", {
        duration,
      });
      return seeOther(reply, moveQuery(kind, body));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const field = kind === "custom" ? "duration" : "moves";
      return show(request, reply, error.status, {
        failure: { field, message: readableMessage(error, "The duration"), value: entered },
      });
    }
  }

  const postOptions = { bodyLimit: formBodyLimit };

  app.post("/clock/advance", postOptions, async (request, reply) => {
    const wanted = trimmedField(request.body, "move");
    const kind = wanted === "day" || wanted === "month" ? wanted : "custom";
    const entered = trimmedField(request.body, "duration");
    if (kind === "custom" && entered === "") {
      return show(request, reply, 400, {
        failure: { field: "duration", message: "Enter a duration, such as P1D or PT2H.", value: "" },
      });
    }
    // Sent as entered: the API decides what a duration is.
    return move(request, reply, kind, kind === "day" ? "P1D" : kind === "month" ? "P1M" : entered, entered);
  });

  app.post("/clock/next-renewal", postOptions, async (request, reply) => {
    const { persona } = operatorOf(request);
    const next = await nextRenewal(deps, persona);
    if (!next) {
      return show(request, reply, 409, {
        failure: { field: "moves", message: "No active subscription renews on the global clock.", value: "" },
      });
    }
    const { body: clock } = await deps.api.call<ClockView>(persona, "GET", "/operator/v1/clock");
    // The API moves by a duration; milliseconds reach the renewal exactly (none when it is overdue).
    const ms = Math.max(0, Date.parse(next.at) - Date.parse(clock.now));
    return move(request, reply, "renewal", ms, "");
  });
}
