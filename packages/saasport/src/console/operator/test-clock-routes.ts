import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import type { Flash } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import type { Persona } from "../sessions/persona.js";
import { isRefusal, readableMessage } from "../store/api-errors.js";
import { allSubscriptions, type NextRenewal, renewalOf } from "./clock-routes.js";
import { operatorOf } from "./guard.js";
import {
  moveFromQuery,
  moveSearch,
  type TestClockMoveKind,
  type TestClocksView,
  testClockNamePattern,
  testClocksPage,
  testClocksPath,
} from "./test-clock-page.js";
import type { ClockMove, ClockView } from "./wire.js";

type Params = { clock: string };

interface ClockList {
  clocks: ClockView[];
  clockControl: boolean;
}

/** The earliest renewal of an active subscription on each test clock. */
async function nextRenewalsOnTestClocks(
  deps: ConsoleDeps,
  persona: Persona,
): Promise<Map<string, NextRenewal>> {
  const next = new Map<string, NextRenewal>();
  for (const subscription of await allSubscriptions(deps, persona, "Subscribed")) {
    const clock = subscription.testClock;
    if (clock === null) continue;
    // renewalOf answers for the global clock only; the rule is the same on a test clock.
    const at = renewalOf({ ...subscription, testClock: null });
    const earliest = next.get(clock);
    if (at && (!earliest || Date.parse(at) < Date.parse(earliest.at))) next.set(clock, { at, subscription });
  }
  return next;
}

function createdFlash(query: { created?: string; existed?: string }): Flash | undefined {
  const { created = "", existed } = query;
  if (!testClockNamePattern.test(created)) return undefined;
  return existed === "1"
    ? { tone: "notice", text: `Test clock ${created} already exists: nothing changed.` }
    : { tone: "success", text: `Test clock ${created} is created at the global clock's time.` };
}

type Extra = Partial<Pick<TestClocksView, "move" | "flash" | "problem" | "creation">>;

/** Test clocks: the list with each one's time, creation, and moves of one clock forward. */
export function registerTestClockRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  async function show(request: FastifyRequest, reply: FastifyReply, status: number, extra: Extra) {
    const { persona, signedIn } = operatorOf(request);
    const { body } = await deps.api.call<ClockList>(persona, "GET", "/operator/v1/clocks");
    const clocks = body.clocks.filter((clock) => clock.testClock !== null);
    const renewals = clocks.length === 0 ? new Map() : await nextRenewalsOnTestClocks(deps, persona);
    const view = { signedIn, clocks, clockControl: body.clockControl, renewals, ...extra };
    return sendPage(reply, status, testClocksPage(view));
  }

  app.get<{ Querystring: Record<string, string | undefined> }>("/clocks", async (request, reply) =>
    show(request, reply, 200, { move: moveFromQuery(request.query), flash: createdFlash(request.query) }),
  );

  const postOptions = { bodyLimit: formBodyLimit };

  app.post("/clocks", postOptions, async (request, reply) => {
    const { persona } = operatorOf(request);
    const name = trimmedField(request.body, "name");
    if (name === "") {
      return show(request, reply, 400, { creation: { name, error: "Enter a name for the test clock." } });
    }
    try {
      const { status } = await deps.api.call<ClockView>(persona, "POST", "/operator/v1/clocks", { name });
      const query = new URLSearchParams({ created: name, ...(status === 200 ? { existed: "1" } : {}) });
      return seeOther(reply, `${testClocksPath}?${query.toString()}`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return show(request, reply, error.status, {
        creation: { name, error: readableMessage(error, "The name") },
      });
    }
  });

  /** Moves one test clock; a refusal is shown above the list. */
  async function move(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    kind: TestClockMoveKind,
    duration: string | number,
  ) {
    const { persona } = operatorOf(request);
    const clock = request.params.clock;
    try {
      const { body } = await deps.api.call<ClockMove>(persona, "POST", "/operator/v1/clock/advance", {
        duration,
        testClock: clock,
      });
      const search = moveSearch({
        clock: body.testClock ?? clock,
        kind,
        before: body.before,
        now: body.now,
        ...body.transitions,
        overdue: body.overdue,
      });
      return seeOther(reply, `${testClocksPath}?${search}`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return show(request, reply, error.status, { problem: error.message });
    }
  }

  app.post<{ Params: Params }>("/clocks/:clock/advance", postOptions, async (request, reply) => {
    const kind = trimmedField(request.body, "move") === "month" ? "month" : "day";
    return move(request, reply, kind, kind === "month" ? "P1M" : "P1D");
  });

  app.post<{ Params: Params }>("/clocks/:clock/next-renewal", postOptions, async (request, reply) => {
    const { persona } = operatorOf(request);
    const clock = request.params.clock;
    const next = (await nextRenewalsOnTestClocks(deps, persona)).get(clock);
    if (!next) {
      return show(request, reply, 409, {
        problem: `No active subscription renews on test clock ${clock}.`,
      });
    }
    const { body: reading } = await deps.api.call<ClockView>(
      persona,
      "GET",
      `/operator/v1/clock?testClock=${encodeURIComponent(clock)}`,
    );
    // The API moves by a duration; milliseconds reach the renewal exactly (none when it is overdue).
    return move(request, reply, "renewal", Math.max(0, Date.parse(next.at) - Date.parse(reading.now)));
  });
}
