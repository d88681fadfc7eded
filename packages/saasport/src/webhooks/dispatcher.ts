import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../clock/clock.js";
import { toStored } from "../db/time.js";
import type { Signals } from "../events/signals.js";
import type { BackgroundWorker } from "../http/module.js";
import { type AttemptDeps, attemptDelivery } from "./attempt.js";
import type { ClaimedDelivery, DeliveryStore, FinishedAttempt } from "./delivery-store.js";
import type { DeliveryListener, DeliveryNotice } from "./listener.js";

export interface DispatcherDeps {
  store: DeliveryStore;
  clock: Clock;
  signals: Pick<Signals, "on">;
  log: FastifyBaseLogger;
  attempt: Omit<AttemptDeps, "extendLease">;
  listeners(): readonly DeliveryListener[];
  timeoutMs: number;
  /** Attempts in flight at once in this process. */
  concurrency?: number;
  pollMs?: number;
  /** How long after a `deliveriesQueued` signal the dispatcher looks (to catch a burst in one claim). */
  batchDelayMs?: number;
}

/** Slack on top of the call timeout before another process may take a delivery over. */
const leaseMarginMs = 5000;
/** Least time between two deferrals of the deliveries waiting behind a retry. */
const deferralIntervalMs = 1000;
/** How long stop() lets calls in flight finish before cutting them off. */
const stopGraceMs = 1000;

/**
 * The webhook dispatcher: leases due deliveries, makes their attempts concurrently, and records the
 * finished attempts in batches (one transaction per batch), then tells the listeners. It looks for
 * work when signalled, at the next retry it scheduled, and otherwise every `pollMs` (other processes
 * sharing the database queue deliveries too, and leases of crashed processes run out).
 */
export function createDispatcher(deps: DispatcherDeps): BackgroundWorker {
  const owner = randomUUID();
  const concurrency = deps.concurrency ?? 128;
  const pollMs = deps.pollMs ?? 250;
  const batchDelayMs = deps.batchDelayMs ?? 2;
  const minimumClaim = Math.max(1, Math.floor(concurrency / 4));
  const attemptDeps: AttemptDeps = {
    ...deps.attempt,
    extendLease: (id, untilMs) => deps.store.extendLease(id, owner, toStored(new Date(untilMs))),
  };

  let running = false;
  let inFlight = 0;
  let lastDeferralMs = Number.NEGATIVE_INFINITY;
  let finished: FinishedAttempt[] = [];
  let flushing: Promise<void> | undefined;
  let pumping: Promise<number> | undefined;
  let pumpAgain = false;
  let recorded = 0;
  let idleWaiters: Array<() => void> = [];
  let pollTimer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let retryTimer: { timer: NodeJS.Timeout; atMs: number } | undefined;
  let unsubscribe: (() => void) | undefined;

  let flushTimer: NodeJS.Timeout | undefined;
  const recordBatch = 64;
  const idle = () => inFlight === 0 && finished.length === 0 && !flushing && !pumping && !flushTimer;
  function checkIdle(): void {
    if (!idle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
  const settled = () =>
    idle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));

  async function claimAndStart(): Promise<number> {
    let claimed = 0;
    let walkedAll: string | undefined;
    // A claim costs about as much for one delivery as for many: wait until a quarter of the slots are free.
    while (inFlight === 0 || concurrency - inFlight >= minimumClaim) {
      const at = deps.clock.now();
      const now = toStored(at);
      const leaseUntil = toStored(new Date(at.getTime() + deps.timeoutMs + leaseMarginMs));
      const limit = concurrency - inFlight;
      const batch = await deps.store.claim(owner, now, leaseUntil, limit);
      for (const delivery of batch) start(delivery);
      claimed += batch.length;
      walkedAll = batch.length < limit ? now : undefined;
      if (batch.length === 0) break;
    }
    // Once the attempts are under way, the deliveries the claim passed over are moved out of its way: at
    // most once a second, since a backlog behind a retry waits seconds at least, and a busy outbox with
    // nothing waiting should not pay a statement per claim.
    const nowMs = deps.clock.now().getTime();
    if (walkedAll && nowMs - lastDeferralMs >= deferralIntervalMs) {
      lastDeferralMs = nowMs;
      await deps.store.deferWaiting(walkedAll);
    }
    return claimed;
  }

  /** Looks for due work; concurrent calls coalesce into one more pass. */
  function pump(): Promise<number> {
    if (pumping) {
      pumpAgain = true;
      return pumping.then(() => 0);
    }
    pumping = (async () => {
      let claimed = 0;
      try {
        do {
          pumpAgain = false;
          claimed += await claimAndStart();
        } while (pumpAgain);
      } catch (error) {
        deps.log.error({ err: error }, "webhook dispatcher could not claim deliveries");
      }
      return claimed;
    })().finally(() => {
      pumping = undefined;
      checkIdle();
    });
    return pumping;
  }

  function start(delivery: ClaimedDelivery): void {
    inFlight++;
    attemptDelivery(delivery, attemptDeps)
      .then(
        (done) => finished.push(done),
        (error) =>
          deps.log.error({ err: error, deliveryId: delivery.id }, "webhook attempt failed unexpectedly"),
      )
      .finally(() => {
        inFlight--;
        scheduleFlush();
        // Claiming need not wait for the record: a finished delivery keeps its lease until then.
        if (running && concurrency - inFlight >= minimumClaim) void pump();
      });
  }

  /** Lets attempts finishing around the same time share one transaction. */
  function scheduleFlush(): void {
    if (flushTimer || flushing) return;
    if (finished.length >= recordBatch || inFlight === 0) {
      flush();
      return;
    }
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      flush();
    }, 1);
  }

  function flush(): void {
    if (flushing || finished.length === 0) {
      checkIdle();
      return;
    }
    const batch = finished;
    finished = [];
    flushing = (async () => {
      try {
        await deps.store.record(owner, batch);
        recorded += batch.length;
        scheduleRetries(batch);
        await notifyListeners(batch);
      } catch (error) {
        // The leases run out and the deliveries are tried again: at least once, never lost.
        deps.log.error({ err: error }, "webhook dispatcher could not record attempts");
      }
    })().finally(() => {
      flushing = undefined;
      // Finished deliveries free capacity and may unblock the next delivery of their subscription.
      if (running || idleWaiters.length > 0) void pump();
      scheduleFlush();
      checkIdle();
    });
  }

  function scheduleRetries(batch: readonly FinishedAttempt[]): void {
    if (!running) return;
    for (const done of batch) {
      if (!done.nextAttemptAt) continue;
      const atMs = Date.now() + Math.max(0, Date.parse(done.nextAttemptAt) - deps.clock.now().getTime());
      if (retryTimer && retryTimer.atMs <= atMs) continue;
      if (retryTimer) clearTimeout(retryTimer.timer);
      const timer = setTimeout(
        () => {
          retryTimer = undefined;
          void pump();
        },
        atMs - Date.now() + 1,
      );
      timer.unref();
      retryTimer = { timer, atMs };
    }
  }

  /** Tells the listeners about final outcomes; the deliveries of a batch are told concurrently. */
  async function notifyListeners(batch: readonly FinishedAttempt[]): Promise<void> {
    const listeners = deps.listeners();
    if (listeners.length === 0) return;
    await Promise.all(
      batch.map(async (done) => {
        const { delivery } = done;
        // A manual redelivery repeats a call whose outcome was already told.
        if (delivery.redeliveryOf !== null) return;
        if (done.outcome !== "delivered" && done.outcome !== "rejected" && done.outcome !== "gave-up") return;
        const notice: DeliveryNotice = {
          deliveryId: delivery.id,
          subscriptionId: delivery.subscriptionId,
          publisherId: delivery.publisherId,
          operationId: delivery.operationId,
          action: delivery.action,
          payloadStatus: delivery.payloadStatus,
        };
        for (const listener of listeners) {
          try {
            if (done.outcome === "delivered") await listener.delivered(notice);
            else if (done.outcome === "rejected") await listener.rejected(notice, done.statusCode ?? 400);
            else await listener.gaveUp(notice);
          } catch (error) {
            deps.log.error({ err: error, deliveryId: delivery.id }, "webhook delivery listener failed");
          }
        }
      }),
    );
  }

  function wake(): void {
    if (!running || wakeTimer) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      void pump();
    }, batchDelayMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      unsubscribe = deps.signals.on("deliveriesQueued", wake);
      pollTimer = setInterval(() => void pump(), pollMs);
      pollTimer.unref();
      void pump();
    },
    async stop() {
      running = false;
      unsubscribe?.();
      clearInterval(pollTimer);
      clearTimeout(wakeTimer);
      wakeTimer = undefined;
      if (retryTimer) clearTimeout(retryTimer.timer);
      retryTimer = undefined;
      // Calls still in flight after a short grace are cut off; they are recorded and retried later
      // (by this process after a restart, or by another one sharing the database).
      const grace = setTimeout(() => deps.attempt.sender.abortAll("Saasport is stopping"), stopGraceMs);
      await settled();
      clearTimeout(grace);
      await deps.attempt.sender.close();
    },
    async runOnce() {
      const before = recorded;
      for (;;) {
        const recordedBefore = recorded;
        const claimed = await pump();
        await settled();
        // A pass that found nothing and saw nothing finish: everything due now is done.
        if (claimed === 0 && recorded === recordedBefore) break;
      }
      return recorded - before;
    },
  };
}
