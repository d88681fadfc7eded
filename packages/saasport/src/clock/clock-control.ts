import { setTimeout as sleep } from "node:timers/promises";
import type { Kysely } from "kysely";
import type { Database, WebhookDeliveryStatus } from "../db/tables.js";
import { toStored } from "../db/time.js";
import type { Signals } from "../events/signals.js";
import { ClockError, type ClockService, globalClock } from "./clock-service.js";
import { type ClockWindow, countOverdue, countTransitions, deliveriesOfWindow } from "./due-queries.js";
import type { Scheduler, TransitionCounts } from "./scheduler.js";

export interface ClockControlDeps {
  db: Kysely<Database>;
  clocks: ClockService;
  scheduler: Scheduler;
  signals: Signals;
  /** Runs after the transitions of a move were applied, before the move answers (billing catches up). */
  afterMove?(clockName: string): Promise<unknown>;
}

export interface ClockMove {
  before: string;
  now: string;
  /** null for the global clock. */
  testClock: string | null;
  /** Timed transitions dated in (before, now] on this clock. */
  transitions: TransitionCounts;
  /** Subscriptions of this clock still due after the move: rows the scheduler could not change (see the log). */
  overdue: number;
}

export class ClockNotFoundError extends Error {}

export function testClockName(name: string): string | null {
  return name === globalClock ? null : name;
}

/**
 * Moves a clock forward to `target(current time)` and fires every transition due on the way, in
 * due-time order, before returning. The clock is stepped batch by batch to the latest due time of
 * the batch being applied, so anything reading the clock meanwhile sees the time of the transitions
 * being applied. A global move moves the global clock only; test clocks keep their own time.
 */
export async function moveClock(
  deps: ClockControlDeps,
  name: string,
  target: (current: Date) => Date,
): Promise<ClockMove> {
  return deps.scheduler.exclusive(async (drain) => {
    await deps.clocks.refresh();
    if (name !== globalClock && !deps.clocks.exists(name)) {
      throw new ClockNotFoundError(
        `There is no test clock "${name}"; create it first with POST /operator/v1/clocks.`,
      );
    }
    const before = deps.clocks.now(name);
    const to = target(before);
    if (Number.isNaN(to.getTime())) throw new ClockError("The target time is not a valid date.");
    if (to.getTime() < before.getTime()) {
      throw new ClockError(
        `Clocks only move forward: ${to.toISOString()} is before the clock's current time ${before.toISOString()}.`,
      );
    }
    const stepTo = async (at: Date) => {
      if (deps.clocks.now(name).getTime() >= at.getTime()) return;
      try {
        await deps.clocks.set(name, at);
      } catch (error) {
        // Another process moved the clock further meanwhile: that is fine, clocks only move forward.
        if (!(error instanceof ClockError)) throw error;
      }
    };
    await drain(name, to, { beforeBatch: stepTo });
    await stepTo(to);
    // Real time passed while the transitions were applied; whatever fell due meanwhile goes too.
    await drain(name, deps.clocks.now(name));
    await deps.afterMove?.(name);
    const now = toStored(deps.clocks.now(name));
    const window: ClockWindow = { clockName: name, after: toStored(before), upTo: now };
    return {
      before: toStored(before),
      now,
      testClock: testClockName(name),
      transitions: await countTransitions(deps.db, window),
      overdue: await countOverdue(deps.db, name, now),
    };
  });
}

export interface DeliveryWait extends Record<WebhookDeliveryStatus, number> {
  /** Deliveries queued for the transitions of the move. */
  queued: number;
  timedOut: boolean;
  waitedMs: number;
  message?: string;
}

/**
 * Waits until every webhook delivery queued for the transitions of a move is delivered, rejected or
 * given up, polling the outbox (the dispatcher may run in any process sharing the database).
 */
export async function waitForDeliveries(
  deps: Pick<ClockControlDeps, "db" | "signals">,
  move: ClockMove,
  timeoutMs: number,
  pollMs = 100,
): Promise<DeliveryWait> {
  const window: ClockWindow = {
    clockName: move.testClock ?? globalClock,
    after: move.before,
    upTo: move.now,
  };
  const started = performance.now();
  for (;;) {
    const counts = await deliveriesOfWindow(deps.db, window);
    const waitedMs = Math.round(performance.now() - started);
    const queued = counts.pending + counts.delivered + counts.rejected + counts.failed;
    if (counts.pending === 0) return { queued, ...counts, timedOut: false, waitedMs };
    if (waitedMs >= timeoutMs) {
      return {
        queued,
        ...counts,
        timedOut: true,
        waitedMs,
        message: `${counts.pending} of ${queued} webhook deliveries were still pending after ${Math.round(timeoutMs / 1000)} s; the clock was moved and they keep being retried.`,
      };
    }
    deps.signals.deliveriesQueued();
    await sleep(pollMs);
  }
}
