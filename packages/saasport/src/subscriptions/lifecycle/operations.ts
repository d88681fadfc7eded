import type { Transaction } from "kysely";
import type { Plan, PricingModel } from "../../catalog/model.js";
import type { ClockService } from "../../clock/clock-service.js";
import { insertJsonRows } from "../../db/json-rows.js";
import type { Database, EventActor, OperationAction } from "../../db/tables.js";
import { toStored } from "../../db/time.js";
import { timeOrderedId } from "../../db/time-ordered-id.js";
import { ApiError } from "../../http/errors.js";
import { effectOfOperation, eventTypeOfOperation } from "../operation-effects.js";
import type {
  OperationRow,
  OperationTransition,
  SubscriptionRepository,
  SubscriptionRow,
} from "../repository.js";
import { type CommitDeps, type Committed, commitChange } from "./commit.js";
import { type ChangeToCommit, commitChanges } from "./commit-together.js";

/** Operations of the marketplace wait here for their webhook to be delivered; then the ack window starts. */
export const awaitingDelivery = "9999-12-31T00:00:00.000Z";

export interface OperationDeps extends CommitDeps {
  subscriptions: SubscriptionRepository;
  clocks: ClockService;
}

/** Business time on the subscription's own clock. */
export function subscriptionNow(
  deps: Pick<OperationDeps, "clocks">,
  row: Pick<SubscriptionRow, "test_clock">,
) {
  return toStored(deps.clocks.now(row.test_clock));
}

/** What completing an operation writes: its move to a final status, and the subscription's change. */
export interface PlannedCompletion {
  transition: OperationTransition;
  change: ChangeToCommit;
}

/** What completes an operation that is due or answered. */
export interface CompletionRequest {
  row: SubscriptionRow;
  operation: OperationRow;
  targetPlan: Plan | undefined;
  pricingModel: PricingModel;
  how: { actor: EventActor; reason: string };
}

/**
 * Marks an operation Succeeded and applies its effect, with the event in the log. A publisher-initiated
 * operation also notifies the webhook (`operationRequestSource: Partner`); a marketplace-initiated one
 * announced itself when it started. Returns undefined when another process completed it first.
 */
export async function completeOperation(
  trx: Transaction<Database>,
  deps: OperationDeps,
  row: SubscriptionRow,
  operation: OperationRow,
  targetPlan: Plan | undefined,
  pricingModel: PricingModel,
  how: { actor: EventActor; reason: string },
): Promise<Committed | undefined> {
  const { transition, change } = planCompletion(deps, { row, operation, targetPlan, pricingModel, how });
  const moved = await deps.subscriptions.transitionOperation(
    trx,
    transition.operationId,
    transition.from,
    transition.changes,
  );
  if (!moved) return undefined;
  return commitChange(trx, deps, change.row, change.changes, change.event, change.pricingModel);
}

/**
 * `completeOperation` for a batch, each subscription at most once, in set-based statements on
 * PostgreSQL (see commit-together.ts): the results in order.
 */
export async function completeOperations(
  trx: Transaction<Database>,
  deps: OperationDeps,
  requests: readonly CompletionRequest[],
): Promise<Array<Committed | undefined>> {
  const planned = requests.map((request) => planCompletion(deps, request));
  const moved = await deps.subscriptions.transitionOperations(
    trx,
    planned.map(({ transition }) => transition),
  );
  const toCommit = planned.filter(({ transition }) => moved.has(transition.operationId));
  const committed = await commitChanges(
    trx,
    deps,
    toCommit.map(({ change }) => change),
  );
  const byOperation = new Map(
    toCommit.map(({ transition }, index) => [transition.operationId, committed[index]]),
  );
  return planned.map(({ transition }) => byOperation.get(transition.operationId));
}

/**
 * The completion of `request.operation`: Succeeded with its effect, or, when the subscription moved on
 * while the operation waited (a grace period ended, a change already applied), Conflict or Failed without
 * touching the subscription.
 */
function planCompletion(deps: OperationDeps, request: CompletionRequest): PlannedCompletion {
  const { row, operation, targetPlan, pricingModel, how } = request;
  const now = subscriptionNow(deps, row);
  const conflict = operationConflict(operation, row);
  if (conflict) {
    return {
      transition: {
        operationId: operation.id,
        from: operation.status,
        changes: { status: conflict.status, error_message: conflict.message, updated_at: now },
      },
      change: {
        row,
        changes: {},
        event: {
          type: "OperationFailed",
          actor: "marketplace",
          occurredAt: now,
          operationId: operation.id,
          data: {
            action: operation.action,
            source: operation.source,
            status: conflict.status,
            message: conflict.message,
          },
        },
        pricingModel,
      },
    };
  }
  const notifyPublisher = operation.source === "Partner";
  return {
    transition: {
      operationId: operation.id,
      from: operation.status,
      changes: { status: "Succeeded", updated_at: now },
    },
    change: {
      row,
      changes: effectOfOperation(operation, row, targetPlan, now),
      event: {
        type: eventTypeOfOperation(operation.action),
        actor: how.actor,
        occurredAt: now,
        operationId: operation.id,
        data: {
          action: operation.action,
          source: operation.source,
          reason: how.reason,
          ...(operation.action === "ChangePlan"
            ? { fromPlanId: row.plan_id, toPlanId: operation.plan_id }
            : {}),
          ...(operation.action === "ChangeQuantity"
            ? { fromQuantity: row.quantity, toQuantity: operation.quantity }
            : {}),
        },
        ...(notifyPublisher
          ? {
              webhook: {
                action: operation.action,
                operationId: operation.id,
                status: "Succeeded" as const,
                source: "Partner" as const,
                planId: operation.plan_id,
                quantity: operation.quantity,
                snapshot:
                  operation.action === "ChangePlan" || operation.action === "ChangeQuantity"
                    ? ("before" as const)
                    : ("after" as const),
              },
            }
          : {}),
      },
      pricingModel,
    },
  };
}

/** Marks an InProgress operation Failed; the subscription stays as it was. */
export async function failOperation(
  trx: Transaction<Database>,
  deps: OperationDeps,
  row: SubscriptionRow,
  operation: OperationRow,
  pricingModel: PricingModel,
  failure: { actor: EventActor; reason: string; statusCode?: number; message: string },
): Promise<Committed | undefined> {
  const now = subscriptionNow(deps, row);
  const moved = await deps.subscriptions.transitionOperation(trx, operation.id, operation.status, {
    status: "Failed",
    error_status_code: failure.statusCode === undefined ? null : String(failure.statusCode),
    error_message: failure.message,
    updated_at: now,
  });
  if (!moved) return undefined;
  return commitChange(
    trx,
    deps,
    row,
    {},
    {
      type: "OperationFailed",
      actor: failure.actor,
      occurredAt: now,
      operationId: operation.id,
      data: {
        action: operation.action,
        source: operation.source,
        reason: failure.reason,
        message: failure.message,
      },
    },
    pricingModel,
  );
}

/**
 * Why an operation can no longer apply to the subscription as it is now: `Conflict` when the target
 * already is the current state (spec §3.7), `Failed` when the subscription left the state the action
 * needs.
 */
export function operationConflict(
  operation: Pick<OperationRow, "action" | "plan_id" | "quantity">,
  row: Pick<SubscriptionRow, "status" | "plan_id" | "quantity">,
): { status: "Conflict" | "Failed"; message: string } | undefined {
  const needs: Record<OperationRow["action"], SubscriptionRow["status"][]> = {
    ChangePlan: ["Subscribed"],
    ChangeQuantity: ["Subscribed"],
    Reinstate: ["Suspended"],
    Suspend: ["Subscribed"],
    Renew: ["Subscribed"],
    Unsubscribe: ["PendingFulfillmentStart", "Subscribed", "Suspended"],
  };
  if (!needs[operation.action].includes(row.status)) {
    return {
      status: "Failed",
      message: `The subscription is ${row.status}; ${operation.action} no longer applies.`,
    };
  }
  if (operation.action === "ChangePlan" && operation.plan_id === row.plan_id) {
    return { status: "Conflict", message: `The subscription is already on plan ${row.plan_id}.` };
  }
  if (operation.action === "ChangeQuantity" && operation.quantity === row.quantity) {
    return { status: "Conflict", message: `The subscription already has ${row.quantity} seats.` };
  }
  return undefined;
}

/**
 * Records an operation the marketplace starts (`operationRequestSource: Azure`), so the id in its
 * webhook can be looked up with Get Operation. `awaited` operations (ChangePlan, ChangeQuantity,
 * Reinstate) stay InProgress until the publisher answers; notifications (Renew, Suspend, Unsubscribe)
 * are recorded Succeeded. An awaited operation takes the subscription's lock (409 while another is open).
 */
export async function insertMarketplaceOperation(
  trx: Transaction<Database>,
  deps: Pick<OperationDeps, "subscriptions" | "clocks">,
  row: SubscriptionRow,
  operation: {
    action: OperationAction;
    planId: string;
    quantity: number | null;
    awaited: boolean;
    id?: string;
  },
): Promise<string> {
  if (operation.awaited && (await deps.subscriptions.pendingOperation(trx, row.id))) {
    throw new ApiError("SubscriptionLocked", undefined, { status: 409, target: "subscriptionId" });
  }
  const id = operation.id ?? timeOrderedId();
  const now = subscriptionNow(deps, row);
  await deps.subscriptions.insertOperation(trx, {
    id,
    subscription_id: row.id,
    publisher_id: row.publisher_id,
    action: operation.action,
    status: operation.awaited ? "InProgress" : "Succeeded",
    source: "Azure",
    plan_id: operation.planId,
    quantity: operation.quantity,
    activity_id: id,
    error_status_code: null,
    error_message: null,
    due_at: operation.awaited ? awaitingDelivery : now,
    created_at: now,
    updated_at: now,
    pending: operation.awaited ? 1 : null,
  });
  return id;
}

/** One notification's operation, for `recordNotificationOperations`. */
export interface NotificationToRecord {
  row: Pick<SubscriptionRow, "id" | "publisher_id" | "plan_id" | "quantity">;
  operation: { id: string; action: "Renew" | "Unsubscribe"; at: string };
}

/**
 * Records the Succeeded operations behind notifications the marketplace sends on its own (renewals, term
 * ends), each dated when it happened, so a webhook's `id` can be looked up with Get Operation. One
 * statement on PostgreSQL.
 */
export async function recordNotificationOperations(
  trx: Transaction<Database>,
  notifications: readonly NotificationToRecord[],
): Promise<void> {
  await insertJsonRows(
    trx,
    "operations",
    notifications.map(({ row, operation }) => ({
      id: operation.id,
      subscription_id: row.id,
      publisher_id: row.publisher_id,
      action: operation.action,
      status: "Succeeded",
      source: "Azure",
      plan_id: row.plan_id,
      quantity: row.quantity,
      activity_id: operation.id,
      error_status_code: null,
      error_message: null,
      due_at: operation.at,
      created_at: operation.at,
      updated_at: operation.at,
      pending: null,
    })),
  );
}
