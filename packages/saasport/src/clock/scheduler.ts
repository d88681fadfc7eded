import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { PricingModel } from "../catalog/model.js";
import type { CatalogReader } from "../catalog/repository.js";
import type { Settings } from "../config/settings.js";
import type { Dialect } from "../db/connection.js";
import type { Database } from "../db/tables.js";
import { timeOrderedId } from "../db/time-ordered-id.js";
import type { Signals } from "../events/signals.js";
import type { BackgroundWorker } from "../http/module.js";
import { createPollTimer } from "../http/poll-timer.js";
import type { CommitDeps } from "../subscriptions/lifecycle/commit.js";
import { commitChanges } from "../subscriptions/lifecycle/commit-together.js";
import {
  type NotificationToRecord,
  recordNotificationOperations,
} from "../subscriptions/lifecycle/operations.js";
import {
  nextTimedTransition,
  type TimedTransition,
  timedChanges,
} from "../subscriptions/lifecycle/timers.js";
import type { SubscriptionRow } from "../subscriptions/repository.js";
import type { Clock } from "./clock.js";
import type { ClockService } from "./clock-service.js";
import { type DueSubscription, dueSubscriptions, lockSubscriptions, repairNextDue } from "./due-queries.js";
import { counterOf, type TransitionCounter, timedEvent } from "./timed-event.js";

export interface SchedulerDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clocks: ClockService;
  /** Real time: for `recorded_at`, first delivery attempts and how long a bad row is set aside. */
  clock: Clock;
  settings: Pick<Settings, "lifecycle" | "fidelity">;
  signals: Signals;
  /** Read before each batch's transaction (on SQLite a read outside it would wait for it forever). */
  catalog: CatalogReader;
  log: FastifyBaseLogger;
  pollIntervalMs?: number;
  /** Subscriptions locked and changed per transaction. */
  batchSize?: number;
}

export type TransitionCounts = Record<TransitionCounter, number>;

export interface DrainOptions {
  /** Called before each batch with the latest due time in it; clock moves step the clock there. */
  beforeBatch?: (latestDue: Date) => Promise<void>;
}

/** Applies every transition of a clock due at or before `upTo`, in due-time order. */
export type Drain = (clockName: string, upTo: Date, options?: DrainOptions) => Promise<TransitionCounts>;

export interface Scheduler extends BackgroundWorker {
  /**
   * Runs `work` with the drain function, one piece of work at a time in this process (the poll and
   * clock moves take turns; other processes are kept apart by the row locks).
   */
  exclusive<T>(work: (drain: Drain) => Promise<T>): Promise<T>;
}

interface Pending {
  row: SubscriptionRow;
  transition: TimedTransition;
  atMs: number;
}

/** Transitions that change the same columns (see `timedChanges`), which PostgreSQL writes in one statement. */
const changeFamilyOf: Record<TimedTransition["kind"], string> = {
  renew: "newTerm",
  convertTrial: "trialEnd",
  expire: "end",
  endGrace: "end",
  expirePending: "end",
};

const setAsideMs = 60_000;
const setAsideCapacity = 500;

/**
 * The scheduler of time-driven transitions (spec §6.2 T3, T5, T8, T9, T10). For every clock it finds
 * the subscriptions whose `next_due_at` has passed and applies their transitions through
 * `commitChange`, oldest first, in batches of one transaction each. A subscription stopped across
 * several due dates catches up one transition at a time, each dated when it was due.
 *
 * Exactly once across processes: each row is locked, its transition recomputed from the locked row
 * (another process may have applied it already), and the transition's deterministic idempotency key
 * is recorded with its event, so a transition applied twice would be refused by the log.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const pollIntervalMs = deps.pollIntervalMs ?? 500;
  const batchSize = deps.batchSize ?? 250;
  const policy = deps.settings.lifecycle;
  const commitDeps: CommitDeps = { settings: deps.settings, clock: deps.clock };
  /** Rows that failed, set aside for a while so one bad row cannot stall its clock. */
  const setAside = new Map<string, number>();

  function setRowAside(id: string, reason: string, error?: unknown) {
    deps.log.error({ err: error, subscriptionId: id }, `scheduler skipped subscription ${id}: ${reason}`);
    if (setAside.size >= setAsideCapacity) setAside.clear();
    setAside.set(id, Date.now() + setAsideMs);
  }

  function excludedIds(): string[] {
    const now = Date.now();
    for (const [id, until] of setAside) if (until <= now) setAside.delete(id);
    return [...setAside.keys()];
  }

  async function pricingModels(due: DueSubscription[]): Promise<Map<string, PricingModel>> {
    const models = new Map<string, PricingModel>();
    for (const item of due) {
      const key = `${item.publisher_id}\u0000${item.offer_id}`;
      if (models.has(key)) continue;
      const offer = await deps.catalog.getOffer(item.publisher_id, item.offer_id);
      if (offer) models.set(key, offer.pricingModel);
    }
    return models;
  }

  const empty = (): TransitionCounts => ({ renewed: 0, trialsConverted: 0, unsubscribed: 0 });

  /**
   * The longest run at the head of the due-ordered queue that `commitChanges` can write together: each
   * subscription at most once (a renewal it triggers waits for the next round), and one kind of change,
   * so that on PostgreSQL one statement writes the run and the events keep their due-time order.
   */
  function takeRound(queue: Pending[]): Pending[] {
    const round: Pending[] = [];
    const ids = new Set<string>();
    const family = (item: Pending) => changeFamilyOf[item.transition.kind];
    while (queue.length > 0) {
      const head = queue[0] as Pending;
      if (ids.has(head.row.id) || (round.length > 0 && family(head) !== family(round[0] as Pending))) break;
      ids.add(head.row.id);
      round.push(queue.shift() as Pending);
    }
    return round;
  }

  /**
   * One transaction: locks the batch, recomputes each row's transition, and applies transitions in
   * due-time order up to `limit` (a subscription renewed in the batch may be due again within it).
   */
  async function applyBatch(
    rows: DueSubscription[],
    limit: number,
    models: Map<string, PricingModel>,
  ): Promise<{ counts: TransitionCounts; progressed: number; deliveries: number }> {
    return deps.db.transaction().execute(async (trx) => {
      const counts = empty();
      let progressed = 0;
      let deliveries = 0;
      const queue: Pending[] = [];
      const enqueue = (item: Pending) => {
        let index = queue.length;
        while (index > 0) {
          const previous = queue[index - 1] as Pending;
          if (previous.atMs < item.atMs || (previous.atMs === item.atMs && previous.row.id <= item.row.id))
            break;
          index--;
        }
        queue.splice(index, 0, item);
      };
      const locked = await lockSubscriptions(
        trx,
        deps.dialect,
        rows.map((row) => row.id),
      );
      for (const row of locked) {
        const transition = nextTimedTransition(row, policy);
        const atMs = transition ? Date.parse(transition.at) : Number.NaN;
        if (transition && atMs <= limit) {
          enqueue({ row, transition, atMs });
        } else if ((transition?.at ?? null) !== row.next_due_at) {
          await repairNextDue(trx, row.id, transition?.at ?? null);
          progressed++;
        }
      }
      for (let round = takeRound(queue); round.length > 0; round = takeRound(queue)) {
        const planned = round.map(({ row, transition }) => {
          const changes = timedChanges(row, transition);
          const operationId = timeOrderedId();
          return {
            row,
            changes,
            operationId,
            event: timedEvent(row, transition, changes, policy, operationId),
            pricingModel: models.get(`${row.publisher_id}\u0000${row.offer_id}`) as PricingModel,
          };
        });
        const results = await commitChanges(trx, commitDeps, planned);
        const notifications: NotificationToRecord[] = [];
        results.forEach((committed, index) => {
          const { row, transition } = round[index] as Pending;
          const { event, operationId } = planned[index] as (typeof planned)[number];
          if (!committed) {
            setRowAside(row.id, `transition ${transition.idempotencyKey} is already recorded but still due`);
            return;
          }
          if (event.webhook) {
            const action = event.webhook.action === "Renew" ? "Renew" : "Unsubscribe";
            notifications.push({ row, operation: { id: operationId, action, at: transition.at } });
          }
          progressed++;
          counts[counterOf[transition.kind]]++;
          if (committed.deliveryId) deliveries++;
          const next = nextTimedTransition(committed.row, policy);
          const nextMs = next ? Date.parse(next.at) : Number.NaN;
          if (next && nextMs <= limit) enqueue({ row: committed.row, transition: next, atMs: nextMs });
        });
        await recordNotificationOperations(trx, notifications);
      }
      return { counts, progressed, deliveries };
    });
  }

  /** A batch that failed as a whole is retried row by row, so only the bad rows are set aside. */
  async function applyBatchSafely(rows: DueSubscription[], limit: number): Promise<TransitionCounts> {
    const models = await pricingModels(rows);
    const usable = rows.filter((row) => {
      if (models.has(`${row.publisher_id}\u0000${row.offer_id}`)) return true;
      setRowAside(row.id, `offer ${row.publisher_id}/${row.offer_id} is not in the catalog`);
      return false;
    });
    const total = empty();
    const add = (result: { counts: TransitionCounts; progressed: number; deliveries: number }) => {
      for (const key of Object.keys(total) as TransitionCounter[]) total[key] += result.counts[key];
      if (result.progressed > 0) deps.signals.eventsRecorded();
      if (result.deliveries > 0) deps.signals.deliveriesQueued();
    };
    try {
      add(await applyBatch(usable, limit, models));
    } catch (batchError) {
      if (usable.length === 1 && usable[0]) {
        setRowAside(usable[0].id, "its transition failed", batchError);
        return total;
      }
      for (const row of usable) {
        try {
          add(await applyBatch([row], limit, models));
        } catch (error) {
          setRowAside(row.id, "its transition failed", error);
        }
      }
    }
    return total;
  }

  const drain: Drain = async (clockName, upTo, options = {}) => {
    const total = empty();
    const upToStored = upTo.toISOString();
    for (;;) {
      const due = await dueSubscriptions(deps.db, clockName, upToStored, batchSize, excludedIds());
      const last = due.at(-1);
      if (!last) return total;
      const latestDue = Math.min(Date.parse(last.next_due_at), upTo.getTime());
      await options.beforeBatch?.(new Date(latestDue));
      const counts = await applyBatchSafely(due, latestDue);
      for (const key of Object.keys(total) as TransitionCounter[]) total[key] += counts[key];
    }
  };

  let tail: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: (drain: Drain) => Promise<T>): Promise<T> {
    const run = tail.then(() => work(drain));
    tail = run.catch(() => undefined);
    return run;
  }

  function runOnce(): Promise<number> {
    return exclusive(async (drainClock) => {
      await deps.clocks.refresh();
      let applied = 0;
      for (const reading of deps.clocks.list()) {
        const counts = await drainClock(reading.name, deps.clocks.now(reading.name));
        applied += counts.renewed + counts.trialsConverted + counts.unsubscribed;
      }
      return applied;
    });
  }

  let unsubscribe: (() => void) | undefined;
  const timer = createPollTimer({
    run: runOnce,
    pollIntervalMs,
    onError: (error) => deps.log.error({ err: error }, "scheduler poll failed"),
  });

  return {
    exclusive,
    runOnce,
    start() {
      unsubscribe ??= deps.signals.on("workQueued", () => timer.wake(5));
      timer.start();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await timer.stop();
      await tail;
    },
  };
}
