import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Plan } from "../catalog/model.js";
import type { CatalogReader } from "../catalog/repository.js";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { activationChanges } from "./activation.js";
import { effectOfOperation, targetPlanOf } from "./operation-effects.js";
import type { OperationRow, SubscriptionRepository } from "./repository.js";

export interface OperationProcessor {
  /** Look for due operations now (called after an operation was committed). */
  kick(): void;
  /** Takes every due step; returns how many steps were taken. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

interface ProcessorDeps {
  db: Kysely<Database>;
  subscriptions: SubscriptionRepository;
  catalog: CatalogReader;
  clock: Clock;
  delayMs(): number;
  activationDelayMs(): number;
  log: FastifyBaseLogger;
  pollIntervalMs?: number;
}

/**
 * Carries publisher-initiated operations (PATCH, DELETE) through NotStarted → InProgress → Succeeded
 * and applies their effect, and completes delayed activations. State lives in the operations table,
 * so any process sharing the database can take the next step, and a restarted process picks up where the last one stopped. Each step is a
 * conditional update, so two processes never apply one operation twice.
 */
export function createOperationProcessor(deps: ProcessorDeps): OperationProcessor {
  const pollIntervalMs = deps.pollIntervalMs ?? 500;
  const kickDelayMs = 5;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let rerun = false;
  let stopped = true;

  /**
   * Takes the next step of a batch of due operations in one transaction (one durable commit for the
   * batch). With no delay an operation goes from NotStarted straight to Succeeded; with a delay it
   * waits InProgress until due. Rows are locked in subscription order so processes cannot deadlock.
   */
  async function stepBatch(operations: OperationRow[]): Promise<number> {
    const nowDate = deps.clock.now();
    const now = toStored(nowDate);
    const delay = deps.delayMs();
    const ordered = [...operations].sort((a, b) => a.subscription_id.localeCompare(b.subscription_id));
    // Catalog reads happen before the transaction: on SQLite a query outside it would wait for it to end.
    const targetPlans = new Map<string, Plan | undefined>();
    for (const operation of ordered) {
      if (operation.action !== "ChangePlan") continue;
      const snapshot = await deps.subscriptions.get(operation.subscription_id);
      if (snapshot) targetPlans.set(operation.id, await targetPlanOf(deps.catalog, snapshot, operation));
    }
    return deps.subscriptions.transaction(async (trx) => {
      let steps = 0;
      for (const operation of ordered) {
        if (operation.status === "NotStarted" && delay > 0) {
          const moved = await deps.subscriptions.transitionOperation(trx, operation.id, "NotStarted", {
            status: "InProgress",
            due_at: toStored(new Date(nowDate.getTime() + delay)),
            updated_at: now,
          });
          if (moved) steps++;
          continue;
        }
        const subscription = await deps.subscriptions.getForUpdate(trx, operation.subscription_id);
        if (!subscription) continue;
        const moved = await deps.subscriptions.transitionOperation(trx, operation.id, operation.status, {
          status: "Succeeded",
          updated_at: now,
        });
        if (!moved) continue;
        const effect = effectOfOperation(operation, subscription, targetPlans.get(operation.id), now);
        await deps.subscriptions.update(trx, subscription.id, effect);
        steps++;
      }
      return steps;
    });
  }

  async function completeDueActivations(): Promise<number> {
    const now = deps.clock.now();
    const requestedBefore = toStored(new Date(now.getTime() - deps.activationDelayMs()));
    let completed = 0;
    for (const subscription of await deps.subscriptions.dueActivations(requestedBefore, 100)) {
      const requestedAt = new Date(subscription.activation_requested_at ?? toStored(now));
      const changes = activationChanges(requestedAt, subscription.term_unit, now);
      if (
        await deps.subscriptions.updateIfStatus(deps.db, subscription.id, "PendingFulfillmentStart", changes)
      ) {
        completed++;
      }
    }
    return completed;
  }

  async function drain(): Promise<number> {
    let steps = 0;
    for (;;) {
      const due = await deps.subscriptions.dueOperations(toStored(deps.clock.now()), 100);
      let progressed = await completeDueActivations();
      if (due.length > 0) progressed += await stepBatch(due);
      steps += progressed;
      if (progressed === 0) return steps;
    }
  }

  function runOnce(): Promise<number> {
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        rerun = false;
        total += await drain();
      } while (rerun);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  let scheduledFor = Number.POSITIVE_INFINITY;

  /** Runs at most `delay` ms from now; an earlier run already scheduled is kept (kicks never starve it). */
  function schedule(delay: number) {
    if (stopped) return;
    const at = Date.now() + delay;
    if (timer && at >= scheduledFor) return;
    clearTimeout(timer);
    scheduledFor = at;
    timer = setTimeout(() => {
      timer = undefined;
      scheduledFor = Number.POSITIVE_INFINITY;
      runOnce()
        .catch((error) => deps.log.error({ err: error }, "operation processing failed"))
        .finally(() => schedule(pollIntervalMs));
    }, delay);
    timer.unref();
  }

  return {
    // A few milliseconds' wait lets operations accepted together be applied in one commit.
    kick: () => schedule(kickDelayMs),
    runOnce,
    start() {
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
