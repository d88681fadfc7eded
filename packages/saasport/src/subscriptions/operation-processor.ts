import type { FastifyBaseLogger } from "fastify";
import type { Plan, PricingModel } from "../catalog/model.js";
import type { CatalogReader } from "../catalog/repository.js";
import type { Clock } from "../clock/clock.js";
import type { ClockService } from "../clock/clock-service.js";
import type { Settings } from "../config/settings.js";
import { toStored } from "../db/time.js";
import type { Signals } from "../events/signals.js";
import { createPollTimer } from "../http/poll-timer.js";
import { activate } from "./activation.js";
import { completeOperations, type OperationDeps } from "./lifecycle/operations.js";
import { targetPlanOf } from "./operation-effects.js";
import type { OperationRow, SubscriptionRepository, SubscriptionRow } from "./repository.js";

export interface OperationProcessor {
  /** Look for due operations now (called after an operation was committed). */
  kick(): void;
  /** Takes every due step; returns how many steps were taken. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

interface ProcessorDeps {
  subscriptions: SubscriptionRepository;
  catalog: CatalogReader;
  /** Real time: operation delays and ack windows. */
  clock: Clock;
  /** Business time: subscription dates and events. */
  clocks: ClockService;
  settings: Pick<Settings, "lifecycle" | "fidelity">;
  signals: Signals;
  log: FastifyBaseLogger;
  pollIntervalMs?: number;
}

interface Prepared {
  operation: OperationRow;
  targetPlan: Plan | undefined;
  pricingModel: PricingModel;
}

/**
 * Carries operations to their end: publisher-initiated ones (PATCH, DELETE) go NotStarted →
 * (InProgress) → Succeeded and notify the webhook; marketplace-initiated ones whose ack window
 * elapsed without an answer auto-succeed. It also completes delayed activations. State lives in the
 * operations table, so any process sharing the database can take the next step, and a restarted process
 * picks up where the last one stopped. Each step is a conditional update, so no step is taken twice.
 */
export function createOperationProcessor(deps: ProcessorDeps): OperationProcessor {
  const pollIntervalMs = deps.pollIntervalMs ?? 500;
  const kickDelayMs = 5;
  const operationDeps: OperationDeps = deps;
  let running: Promise<number> | undefined;
  let rerun = false;

  async function pricingModelOf(
    row: Pick<SubscriptionRow, "publisher_id" | "offer_id">,
  ): Promise<PricingModel> {
    return (await deps.catalog.getOffer(row.publisher_id, row.offer_id))?.pricingModel ?? "flatRate";
  }

  /** Catalog reads happen before the transaction: on SQLite a query outside it would wait for it to end. */
  async function prepare(operations: OperationRow[]): Promise<Prepared[]> {
    const offers = new Map(
      (await deps.subscriptions.offersOf(operations.map((operation) => operation.subscription_id))).map(
        (row) => [row.id, row],
      ),
    );
    const prepared: Prepared[] = [];
    for (const operation of operations) {
      const subscription = offers.get(operation.subscription_id);
      if (!subscription) continue;
      prepared.push({
        operation,
        targetPlan: await targetPlanOf(deps.catalog, subscription, operation),
        pricingModel: await pricingModelOf(subscription),
      });
    }
    // Rows are locked in subscription order so two processes cannot deadlock.
    return prepared.sort((a, b) => a.operation.subscription_id.localeCompare(b.operation.subscription_id));
  }

  /**
   * Takes the next step of a batch of due operations in one transaction (one durable commit for the
   * batch). With no delay a publisher's operation goes from NotStarted straight to Succeeded; with a
   * delay it waits InProgress until due.
   */
  async function stepBatch(operations: OperationRow[]): Promise<number> {
    const prepared = await prepare(operations);
    const nowDate = deps.clock.now();
    const delay = deps.settings.fidelity.partnerOperationDelayMs;
    // With a delay, a publisher's new operation only moves to InProgress; the rest complete now.
    const onlyStarts = (operation: OperationRow) => operation.status === "NotStarted" && delay > 0;
    let notified = false;
    const steps = await deps.subscriptions.transaction(async (trx) => {
      const starting = prepared.filter(({ operation }) => onlyStarts(operation));
      const started = await deps.subscriptions.transitionOperations(
        trx,
        starting.map(({ operation }) => ({
          operationId: operation.id,
          from: "NotStarted" as const,
          changes: {
            status: "InProgress" as const,
            due_at: toStored(new Date(nowDate.getTime() + delay)),
            updated_at: toStored(deps.clocks.now()),
          },
        })),
      );
      let count = started.size;
      // The subscriptions of the batch's completions, read and locked in one statement.
      let completing = prepared.filter(({ operation }) => !onlyStarts(operation));
      const subscriptions = new Map(
        (
          await deps.subscriptions.getManyForUpdate(
            trx,
            completing.map(({ operation }) => operation.subscription_id),
          )
        ).map((row) => [row.id, row]),
      );
      // Completed together, each subscription once a round; a second operation of one waits for the
      // next round, which sees the first one's change.
      while (completing.length > 0) {
        const round: Array<Prepared & { row: SubscriptionRow }> = [];
        const taken = new Set<string>();
        const later: Prepared[] = [];
        for (const item of completing) {
          const row = subscriptions.get(item.operation.subscription_id);
          if (!row) continue;
          if (taken.has(row.id)) later.push(item);
          else {
            taken.add(row.id);
            round.push({ ...item, row });
          }
        }
        const done = await completeOperations(
          trx,
          operationDeps,
          round.map(({ row, operation, targetPlan, pricingModel }) => ({
            row,
            operation,
            targetPlan,
            pricingModel,
            how:
              operation.source === "Partner"
                ? { actor: "publisher" as const, reason: "requestedByPublisher" }
                : { actor: "marketplace" as const, reason: "ackWindowElapsed" },
          })),
        );
        for (const committed of done) {
          if (!committed) continue;
          subscriptions.set(committed.row.id, committed.row);
          count++;
          if (committed.deliveryId) notified = true;
        }
        completing = later;
      }
      return count;
    });
    if (steps > 0) deps.signals.eventsRecorded();
    if (notified) deps.signals.deliveriesQueued();
    return steps;
  }

  async function completeDueActivations(): Promise<number> {
    const delayMs = deps.settings.fidelity.activationDelayMs;
    const requestedBefore = toStored(new Date(deps.clocks.now().getTime() - delayMs));
    let completed = 0;
    for (const candidate of await deps.subscriptions.dueActivations(requestedBefore, 100)) {
      const done = await deps.subscriptions.transaction(async (trx) => {
        const row = await deps.subscriptions.getForUpdate(trx, candidate.id);
        if (row?.status !== "PendingFulfillmentStart" || !row.activation_requested_at) return false;
        const requestedAt = new Date(row.activation_requested_at);
        if (deps.clocks.now(row.test_clock).getTime() - requestedAt.getTime() < delayMs) return false;
        const now = toStored(deps.clocks.now(row.test_clock));
        return (await activate(trx, deps, row, requestedAt, now, "publisher")) !== undefined;
      });
      if (done) completed++;
    }
    if (completed > 0) deps.signals.eventsRecorded();
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

  const timer = createPollTimer({
    run: runOnce,
    pollIntervalMs,
    onError: (error) => deps.log.error({ err: error }, "operation processing failed"),
  });

  const unsubscribe: Array<() => void> = [];
  return {
    // A few milliseconds' wait lets operations accepted together be applied in one commit.
    kick: () => timer.wake(kickDelayMs),
    runOnce,
    start() {
      unsubscribe.push(deps.signals.on("workQueued", () => timer.wake(kickDelayMs)));
      timer.start();
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
      await timer.stop();
      await running?.catch(() => {});
    },
  };
}
