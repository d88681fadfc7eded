import { toStored } from "../db/time.js";
import { perLoopTurn, type Waiting } from "../db/turn-batch.js";
import { ApiError, badArgument } from "../http/errors.js";
import type { PublisherPrincipal } from "../identity/principal.js";
import { activate, activationChanges, activationEvent } from "./activation.js";
import { assertOwnedBy, batchFailureLogger, type FulfillmentDeps } from "./deps.js";
import { type PlannedChange, planChange } from "./lifecycle/commit.js";
import { commitIfUnchanged } from "./lifecycle/commit-together.js";
import { decideActivate } from "./lifecycle-rules.js";
import type { SubscriptionRow } from "./repository.js";

/** The optional body of an activation: the older `{planId, quantity}`, checked only when strict. */
export interface ActivateBody {
  planId?: unknown;
  quantity?: unknown;
}

export interface ActivationRequest {
  /** As the request spelled it, for the messages. */
  subscriptionId: string;
  /** The subscription's id (lower case). */
  id: string;
  principal: PublisherPrincipal;
  body: ActivateBody;
}

/**
 * F2's change. On PostgreSQL the activations requested in one turn of the event loop are made together:
 * their subscriptions are read in one query, each is checked, and those that may be activated are
 * committed in one statement by `commitIfUnchanged`. One changed meanwhile, or requested twice in the
 * batch, is done again alone, the locked way. On SQLite, where statements run in process and group
 * commit already shares the durable commit, and with a delayed activation (`activationDelayMs`), every
 * request goes the locked way.
 */
export function createActivator(deps: FulfillmentDeps): (request: ActivationRequest) => Promise<void> {
  if (deps.dialect !== "postgres" || deps.settings.fidelity.activationDelayMs > 0) {
    return (request) => activateLocked(deps, request);
  }
  const onFailure = batchFailureLogger(deps, "a batch of activations");
  return perLoopTurn<ActivationRequest, void>(async (batch) => {
    const ids = [...new Set(batch.map((call) => call.input.id))];
    const rows = new Map((await deps.subscriptions.getMany(ids)).map((row) => [row.id, row]));
    const planned: Array<{ call: Waiting<ActivationRequest, void>; change: PlannedChange }> = [];
    const again: Array<Waiting<ActivationRequest, void>> = [];
    const seen = new Set<string>();
    for (const call of batch) {
      const { id } = call.input;
      if (seen.has(id)) {
        again.push(call);
        continue;
      }
      seen.add(id);
      try {
        const row = checkActivation(deps, rows.get(id), call.input);
        if (row === alreadyActive) {
          call.resolve();
          continue;
        }
        const now = deps.clocks.now(row.test_clock);
        const changes = activationChanges(row, now, toStored(now));
        planned.push({
          call,
          change: planChange(deps, row, changes, activationEvent(row, now, "publisher")),
        });
      } catch (error) {
        call.reject(error);
      }
    }
    const committed = await commitIfUnchanged(
      deps.db,
      planned.map(({ change }) => change),
      onFailure,
    );
    if (committed.size > 0) deps.signals.eventsRecorded();
    for (const { call, change } of planned) {
      if (committed.has(change.event.subscription_id)) call.resolve();
      else again.push(call);
    }
    for (const call of again) settle(call, activateLocked(deps, call.input));
  });
}

function settle(call: Waiting<ActivationRequest, void>, work: Promise<void>): void {
  work.then(call.resolve, call.reject);
}

/** The activation of one subscription inside a transaction holding its row. */
async function activateLocked(deps: FulfillmentDeps, request: ActivationRequest): Promise<void> {
  const activated = await deps.subscriptions.transaction(async (trx) => {
    const row = checkActivation(deps, await deps.subscriptions.getForUpdate(trx, request.id), request);
    if (row === alreadyActive) return false;
    const now = deps.clocks.now(row.test_clock);
    if (deps.settings.fidelity.activationDelayMs > 0) {
      // Delayed activation: the request is recorded (once) and the processor completes it later.
      if (row.activation_requested_at === null) {
        await deps.subscriptions.update(trx, row.id, { activation_requested_at: toStored(now) });
      }
      return false;
    }
    return (await activate(trx, deps, row, now, toStored(now), "publisher")) !== undefined;
  });
  if (activated) deps.signals.eventsRecorded();
}

/** An activation of a subscription already Subscribed, answered with nothing to do (`activateSubscribed`). */
const alreadyActive = Symbol("already active");

/**
 * The subscription, when the request may activate it; `alreadyActive` when it is Subscribed and the
 * setting accepts that; otherwise the error to answer.
 */
function checkActivation(
  deps: FulfillmentDeps,
  found: SubscriptionRow | undefined,
  request: ActivationRequest,
): SubscriptionRow | typeof alreadyActive {
  const row = assertOwnedBy(found, request.subscriptionId, request.principal);
  const { body } = request;
  if (deps.settings.fidelity.activateBodyValidation === "strict") {
    if (body.planId !== undefined && body.planId !== row.plan_id) {
      throw badArgument(
        "planId",
        `The planId ${String(body.planId)} does not match the purchased plan ${row.plan_id}.`,
      );
    }
    if (body.quantity !== undefined && row.quantity !== null && body.quantity !== row.quantity) {
      throw badArgument(
        "quantity",
        `The quantity ${String(body.quantity)} does not match the purchased ${row.quantity}.`,
      );
    }
  }
  if (row.status === "Subscribed" && deps.settings.fidelity.activateSubscribed === "accept")
    return alreadyActive;
  const decision = decideActivate(row.status);
  if (!decision.ok) throw new ApiError(decision.code, decision.message, { target: "subscriptionId" });
  return row;
}
