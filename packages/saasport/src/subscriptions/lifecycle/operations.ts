import type { Transaction } from "kysely";
import type { Plan, PricingModel } from "../../catalog/model.js";
import type { ClockService } from "../../clock/clock-service.js";
import type { Database, EventActor } from "../../db/tables.js";
import { toStored } from "../../db/time.js";
import { effectOfOperation, eventTypeOfOperation } from "../operation-effects.js";
import type { OperationRow, SubscriptionRepository, SubscriptionRow } from "../repository.js";
import { type CommitDeps, type Committed, commitChange } from "./commit.js";

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
  const now = subscriptionNow(deps, row);
  const moved = await deps.subscriptions.transitionOperation(trx, operation.id, operation.status, {
    status: "Succeeded",
    updated_at: now,
  });
  if (!moved) return undefined;
  const changes = effectOfOperation(operation, row, targetPlan, now);
  const notifyPublisher = operation.source === "Partner";
  return commitChange(
    trx,
    deps,
    row,
    changes,
    {
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
  );
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
