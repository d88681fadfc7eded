import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import type { ConsoleDeps } from "../deps.js";
import { layout, type SignedIn } from "../pages/layout.js";
import { sendPage } from "../responses.js";
import { sessionIdOf } from "../sessions/request-session.js";
import { isRefusal } from "../store/api-errors.js";
import { eventScript } from "./event-script.js";
import { operatorOf } from "./guard.js";
import { instantText, operatorPaths, subscriptionPagePath } from "./ui.js";
import type { OperatorEvent } from "./wire.js";

/** How many events the page shows. */
const shown = 50;
const pollMs = 1000;
const heartbeatMs = 15_000;
/** The stream re-checks the session this often (a signed-out browser stops receiving). */
const sessionCheckMs = 30_000;
/** A stream ends after this long; the browser reconnects from where it was (Last-Event-ID). */
const maxStreamMs = 30 * 60_000;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the stream sends of an event (the page's row). */
function streamed(event: OperatorEvent) {
  return {
    position: event.position,
    occurredAt: instantText(event.occurredAt),
    type: event.type,
    subscriptionId: event.subscriptionId,
    subscriptionHref: subscriptionPagePath(event.subscriptionId),
    publisherId: event.publisherId,
    actor: event.actor,
  };
}

function eventRow(event: OperatorEvent): SafeHtml {
  return html`<tr data-position="${String(event.position)}">
<td data-label="Position" class="number">${String(event.position)}</td>
<td data-label="Occurred">${instantText(event.occurredAt)}</td>
<td data-label="Type">${event.type}</td>
<td data-label="Subscription"><a href="${subscriptionPagePath(event.subscriptionId)}"><code>${event.subscriptionId}</code></a></td>
<td data-label="Publisher">${event.publisherId}</td>
<td data-label="Actor">${event.actor}</td>
</tr>`;
}

function eventsPage(
  signedIn: SignedIn,
  events: OperatorEvent[],
  latest: number,
  subscriptionId: string | undefined,
): SafeHtml {
  const filter: Record<string, string> = subscriptionId ? { subscriptionId } : {};
  const refresh = `${operatorPaths.events}${subscriptionId ? `?subscriptionId=${subscriptionId}` : ""}`;
  const stream = `${operatorPaths.eventStream}?${new URLSearchParams({ after: String(latest), ...filter }).toString()}`;
  return layout(
    { title: "Events", current: "operator-events", signedIn },
    html`<script src="${operatorPaths.eventScript}" defer></script>
<p>Every state change of every subscription, newest first${subscriptionId ? html` (subscription <code>${subscriptionId}</code>; <a href="${operatorPaths.events}">show all</a>)` : ""}.</p>
<p id="events-state" class="card notice">The latest ${String(shown)} events as of loading this page. <a href="${refresh}">Refresh</a></p>
<p id="events-live" class="visually-hidden" role="status" aria-live="polite"></p>
<table>
<caption class="visually-hidden">Events, newest first</caption>
<thead><tr><th scope="col" class="number">Position</th><th scope="col">Occurred</th><th scope="col">Type</th><th scope="col">Subscription</th><th scope="col">Publisher</th><th scope="col">Actor</th></tr></thead>
<tbody id="events-body" data-stream="${stream}" data-keep="${String(shown * 2)}">${events.map(eventRow)}</tbody>
</table>
${events.length === 0 ? html`<p id="events-empty">No events yet.</p>` : ""}`,
  );
}

/** The live event log: a page of the latest events and a same-origin stream of new ones. */
export function registerEventRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const open = new Set<ServerResponse>();
  app.addHook("preClose", async () => {
    for (const stream of open) stream.end();
  });

  app.get(operatorPaths.eventScript.slice("/console/operator".length), async (_request, reply) =>
    reply
      .header("cache-control", "no-cache")
      .header("x-content-type-options", "nosniff")
      .type("text/javascript; charset=utf-8")
      .send(eventScript),
  );

  app.get<{ Querystring: { subscriptionId?: string } }>("/events", async (request, reply) => {
    const { persona, signedIn } = operatorOf(request);
    const wanted = request.query.subscriptionId?.toLowerCase();
    const subscriptionId = wanted && guid.test(wanted) ? wanted : undefined;
    const { body: latest } = await deps.api.call<{ position: number }>(
      persona,
      "GET",
      "/operator/v1/events/latest",
    );
    let events: OperatorEvent[];
    if (subscriptionId) {
      try {
        const { body } = await deps.api.call<{ events: OperatorEvent[] }>(
          persona,
          "GET",
          `/operator/v1/events?subscriptionId=${subscriptionId}&limit=1000`,
        );
        events = body.events.slice(-shown);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        events = [];
      }
    } else {
      const after = Math.max(0, latest.position - shown);
      const { body } = await deps.api.call<{ events: OperatorEvent[] }>(
        persona,
        "GET",
        `/operator/v1/events?after=${after}&limit=${shown}`,
      );
      events = body.events;
    }
    events.sort((a, b) => b.position - a.position);
    return sendPage(reply, 200, eventsPage(signedIn, events, latest.position, subscriptionId));
  });

  /**
   * Server-sent events for the page's script: the browser cannot send the operator key, so this
   * route checks the console session and re-serves the event log it reads through the API.
   */
  app.get<{ Querystring: { after?: string; subscriptionId?: string } }>(
    "/events/stream",
    async (request, reply) => {
      const { persona } = operatorOf(request);
      const sessionId = sessionIdOf(request);
      const header = request.headers["last-event-id"];
      const resume = (Array.isArray(header) ? header[0] : header) ?? request.query.after ?? "0";
      let last = /^\d{1,15}$/.test(resume.trim()) ? Number(resume.trim()) : 0;
      const wanted = request.query.subscriptionId?.toLowerCase();
      const subscriptionId = wanted && guid.test(wanted) ? wanted : undefined;

      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "x-content-type-options": "nosniff",
      });
      raw.write("retry: 2000\n\n");
      open.add(raw);
      const started = Date.now();
      let lastCheck = started;
      let lastBeat = started;
      let closed = false;
      let timer: NodeJS.Timeout | undefined;
      const end = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        open.delete(raw);
        raw.end();
      };
      raw.on("close", () => {
        closed = true;
        if (timer) clearTimeout(timer);
        open.delete(raw);
      });

      async function poll() {
        if (closed) return;
        try {
          const now = Date.now();
          if (now - started > maxStreamMs) return end();
          if (now - lastCheck > sessionCheckMs) {
            lastCheck = now;
            const session = sessionId ? await deps.sessions.find(sessionId, deps.clock.now()) : undefined;
            if (session?.persona.kind !== "operator") return end();
          }
          for (let pages = 0; pages < 10 && !closed; pages += 1) {
            const { body } = await deps.api.call<{ events: OperatorEvent[]; nextAfter: number | null }>(
              persona,
              "GET",
              `/operator/v1/events?after=${last}&limit=200`,
            );
            for (const event of body.events) {
              last = Math.max(last, event.position);
              if (subscriptionId && event.subscriptionId !== subscriptionId) continue;
              if (!closed) raw.write(`id: ${event.position}\ndata: ${JSON.stringify(streamed(event))}\n\n`);
            }
            if (body.nextAfter === null) break;
          }
          if (!closed && now - lastBeat > heartbeatMs) {
            lastBeat = now;
            raw.write(": keep-alive\n\n");
          }
        } catch (error) {
          request.log.warn({ err: error }, "console event stream read failed");
        }
        if (!closed) timer = setTimeout(() => void poll(), pollMs);
      }
      void poll();
    },
  );
}
