import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
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
 * and applies their effect, and completes delayed activations. State lives in the operations table, so any process sharing the database
 * can take the next step, and a restarted process picks up where the last one stopped. Each step is a
 * conditional update, so two processes never apply one operation twice.
 */
export function createOperationProcessor(deps: ProcessorDeps): OperationProcessor {
  const pollIntervalMs = deps.pollIntervalMs ?? 500;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let rerun = false;
  let stopped = true;

  async function step(operation: OperationRow): Promise<boolean> {
    const now = toStored(deps.clock.now());
    if (operation.status === "NotStarted") {
      const due = toStored(new Date(deps.clock.now().getTime() + deps.delayMs()));
      return deps.subscriptions.transitionOperation(deps.db, operation.id, "NotStarted", {
        status: "InProgress",
        due_at: due,
        updated_at: now,
      });
    }
    const snapshot = await deps.subscriptions.get(operation.subscription_id);
    if (!snapshot) return false;
    const targetPlan = await targetPlanOf(deps.catalog, snapshot, operation);
    return deps.subscriptions.transaction(async (trx) => {
      const subscription = await deps.subscriptions.getForUpdate(trx, operation.subscription_id);
      if (!subscription) return false;
      const moved = await deps.subscriptions.transitionOperation(trx, operation.id, "InProgress", {
        status: "Succeeded",
        updated_at: now,
      });
      if (!moved) return false;
      await deps.subscriptions.update(
        trx,
        subscription.id,
        effectOfOperation(operation, subscription, targetPlan, now),
      );
      return true;
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
      for (const operation of due) {
        if (await step(operation)) progressed++;
      }
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

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      runOnce()
        .catch((error) => deps.log.error({ err: error }, "operation processing failed"))
        .finally(() => schedule(pollIntervalMs));
    }, delay);
    timer.unref();
  }

  return {
    kick: () => schedule(0),
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
