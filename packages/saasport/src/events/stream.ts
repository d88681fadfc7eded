import type { ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { listEvents } from "./repository.js";
import type { Signals } from "./signals.js";
import { eventView } from "./view.js";

export interface StreamDeps {
  db: Kysely<Database>;
  signals: Signals;
  /** Open streams, ended when the server closes (an open stream would keep it from closing). */
  open: Set<ServerResponse>;
  pollIntervalMs?: number;
  heartbeatMs?: number;
}

/**
 * How far back each read looks again: on PostgreSQL positions are handed out before commit, so a
 * transaction that commits late can land below positions already sent. Re-reading a window and
 * skipping what was sent catches it.
 */
const lateCommitWindow = 200;

/**
 * Streams the event log as server-sent events (`id:` is the event's position, `event:` its type),
 * starting after `Last-Event-ID` or `?after=`. New events are read when this process records some and
 * at least every poll interval (another process may have recorded them).
 */
export function streamEvents(
  deps: StreamDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  filter: { publisherId?: string | undefined; subscriptionId?: string | undefined; after: number },
): void {
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  raw.write(": saasport event stream\n\n");
  deps.open.add(raw);
  let last = filter.after;
  const sent = new Set<number>();
  let closed = false;
  let reading = false;
  let again = false;

  async function read() {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const rows = await listEvents(deps.db, {
          publisherId: filter.publisherId,
          after: Math.max(filter.after, last - lateCommitWindow),
          limit: 500,
        });
        for (const row of rows) {
          const position = Number(row.position);
          if (sent.has(position) || position <= filter.after) continue;
          if (filter.subscriptionId && row.subscription_id !== filter.subscriptionId) continue;
          sent.add(position);
          last = Math.max(last, position);
          raw.write(`id: ${position}\nevent: ${row.type}\ndata: ${JSON.stringify(eventView(row))}\n\n`);
        }
        for (const position of sent) if (position < last - lateCommitWindow) sent.delete(position);
        if (rows.length === 500) again = true;
      } while (again && !closed);
    } catch (error) {
      request.log.warn({ err: error }, "event stream read failed");
    } finally {
      reading = false;
    }
  }

  const stopListening = deps.signals.on("eventsRecorded", () => void read());
  const poll = setInterval(() => void read(), deps.pollIntervalMs ?? 1000);
  const heartbeat = setInterval(() => raw.write(": keep-alive\n\n"), deps.heartbeatMs ?? 15_000);
  raw.on("close", () => {
    closed = true;
    deps.open.delete(raw);
    stopListening();
    clearInterval(poll);
    clearInterval(heartbeat);
  });
  void read();
}

/** The position to start after: `Last-Event-ID` (a reconnecting EventSource) wins over `?after=`. */
export function resumePosition(request: FastifyRequest, after: number | undefined): number {
  const header = request.headers["last-event-id"];
  const value = Array.isArray(header) ? header[0] : header;
  if (value && /^\d+$/.test(value.trim())) return Number(value.trim());
  return after ?? 0;
}
