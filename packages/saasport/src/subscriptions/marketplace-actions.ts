import type { Transaction } from "kysely";
import type { Offer } from "../catalog/model.js";
import type { Database, EventActor, OperationAction } from "../db/tables.js";
import { isTrue, toStored } from "../db/time.js";
import { ApiError } from "../http/errors.js";
import { checkPlanChange, checkQuantityChange } from "./change-rules.js";
import type { FulfillmentDeps } from "./deps.js";
import { type Committed, commitChange } from "./lifecycle/commit.js";
import { insertMarketplaceOperation, subscriptionNow } from "./lifecycle/operations.js";
import { timedChanges } from "./lifecycle/timers.js";
import { billingEventStatuses } from "./lifecycle-rules.js";
import { isUniqueViolation, type SubscriptionRow } from "./repository.js";
import { startOfUtcDay } from "./term-dates.js";

/**
 * Changes the marketplace starts (operationRequestSource `Azure`): a buyer in the store, or the operator
 * for billing events or on a buyer's behalf. Changes and reinstatements wait for the publisher (webhook,
 * then the ack window); suspensions, cancellations and renewals are notifications.
 */
export type MarketplaceChange =
  | { kind: "changePlan"; planId: string }
  | { kind: "changeQuantity"; quantity: number }
  | { kind: "cancel" }
  | { kind: "setAutoRenew"; autoRenew: boolean }
  | { kind: "paymentFailed" }
  | { kind: "paymentRecovered" }
  | { kind: "renewNow" };

export interface ActionResult {
  subscriptionId: string;
  /** The operation the change created, when it has one (the publisher sees it through O2). */
  operationId?: string;
  /** Succeeded for immediate changes, InProgress for those awaiting the publisher. */
  operationStatus?: string;
  event?: { id: string; seq: number; type: string };
}

const notFound = (id: string) =>
  new ApiError("NotFound", `Subscription ${id.slice(0, 100)} was not found.`, { target: "subscriptionId" });
const refuse = (message: string) => new ApiError("BadRequest", message, { target: "subscriptionId" });

export async function applyMarketplaceChange(
  deps: FulfillmentDeps,
  subscriptionId: string,
  change: MarketplaceChange,
  actor: EventActor,
): Promise<ActionResult> {
  // Catalog reads happen before the transaction (SQLite deadlock rule).
  const snapshot = await deps.subscriptions.get(subscriptionId);
  if (!snapshot) throw notFound(subscriptionId);
  const offer = await deps.catalog.getOffer(snapshot.publisher_id, snapshot.offer_id);
  if (!offer) throw new ApiError("UnexpectedError", `Offer ${snapshot.offer_id} is missing.`);
  const plan = await deps.catalog.getPlan(
    snapshot.publisher_id,
    snapshot.offer_id,
    change.kind === "changePlan" ? change.planId : snapshot.plan_id,
  );
  let result: ActionResult;
  try {
    result = await deps.subscriptions.transaction(async (trx) => {
      const row = await deps.subscriptions.getForUpdate(trx, subscriptionId);
      if (!row) throw notFound(subscriptionId);
      const context: ChangeContext = { deps, trx, row, offer, actor };
      switch (change.kind) {
        case "changePlan":
          requireStatus(row, ["Subscribed"], "change plans");
          if (plan?.planId === row.plan_id)
            throw conflict(`The subscription is already on plan ${row.plan_id}.`);
          checkPlanChange(row, plan, offer.pricingModel === "perUser");
          return startAwaitedOperation(context, "ChangePlan", change.planId, row.quantity);
        case "changeQuantity":
          requireStatus(row, ["Subscribed"], "change seats");
          if (offer.pricingModel !== "perUser")
            throw refuse("The plan is flat-rate; it has no seats to change.");
          if (row.quantity === change.quantity)
            throw conflict(`The subscription already has ${row.quantity} seats.`);
          checkQuantityChange(row, plan, change.quantity);
          return startAwaitedOperation(context, "ChangeQuantity", row.plan_id, change.quantity);
        case "cancel":
          requireStatus(row, ["PendingFulfillmentStart", "Subscribed", "Suspended"], "cancel");
          return notifyOperation(context, "Unsubscribe", "Unsubscribed", {
            status: "Unsubscribed",
            unsubscribed_at: subscriptionNow(deps, row),
          });
        case "setAutoRenew":
          return setAutoRenew(context, change.autoRenew);
        case "paymentFailed":
          requireStatus(row, billingEventStatuses["payment-failed"], "suspend");
          return notifyOperation(context, "Suspend", "Suspended", {
            status: "Suspended",
            suspended_at: subscriptionNow(deps, row),
          });
        case "paymentRecovered":
          requireStatus(row, billingEventStatuses["payment-recovered"], "reinstate");
          if (deps.settings.lifecycle.reinstateFlow === "ack") {
            return startAwaitedOperation(context, "Reinstate", row.plan_id, row.quantity);
          }
          return notifyOperation(context, "Reinstate", "Reinstated", {
            status: "Subscribed",
            suspended_at: null,
          });
        case "renewNow":
          requireStatus(row, billingEventStatuses.renew, "renew");
          return renewNow(context);
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("SubscriptionLocked", undefined, { status: 409, target: "subscriptionId" });
    }
    throw error;
  }
  deps.signals.eventsRecorded();
  deps.signals.deliveriesQueued();
  deps.signals.workQueued();
  return result;
}

interface ChangeContext {
  deps: FulfillmentDeps;
  trx: Transaction<Database>;
  row: SubscriptionRow;
  offer: Offer;
  actor: EventActor;
}

function requireStatus(row: SubscriptionRow, allowed: readonly SubscriptionRow["status"][], what: string) {
  if (!allowed.includes(row.status)) {
    throw refuse(`The subscription is ${row.status}; it cannot ${what} (needs ${allowed.join(" or ")}).`);
  }
}

function conflict(message: string) {
  return new ApiError("Conflict", message, { target: "subscriptionId" });
}

function eventOf(committed: Committed | undefined, type: string) {
  return committed ? { id: committed.eventId, seq: committed.seq, type } : undefined;
}

function insertOperation(
  context: ChangeContext,
  action: OperationAction,
  planId: string,
  quantity: number | null,
  awaited: boolean,
): Promise<string> {
  return insertMarketplaceOperation(context.trx, context.deps, context.row, {
    action,
    planId,
    quantity,
    awaited,
  });
}

/** ChangePlan, ChangeQuantity or Reinstate: InProgress until the publisher answers or the ack window ends. */
async function startAwaitedOperation(
  context: ChangeContext,
  action: "ChangePlan" | "ChangeQuantity" | "Reinstate",
  planId: string,
  quantity: number | null,
): Promise<ActionResult> {
  const { deps, trx, row, offer, actor } = context;
  const operationId = await insertOperation(context, action, planId, quantity, true);
  const type = `${action}Requested`;
  const committed = await commitChange(
    trx,
    deps,
    row,
    {},
    {
      type,
      actor,
      occurredAt: subscriptionNow(deps, row),
      operationId,
      data: { action, planId, quantity, fromPlanId: row.plan_id, fromQuantity: row.quantity },
      webhook: {
        action,
        operationId,
        status: "InProgress",
        source: "Azure",
        planId,
        quantity,
        snapshot: "before",
      },
    },
    offer.pricingModel,
  );
  return {
    subscriptionId: row.id,
    operationId,
    operationStatus: "InProgress",
    event: eventOf(committed, type),
  };
}

/** Suspend, Unsubscribe, or a notify-only Reinstate: applied at once, then announced. */
async function notifyOperation(
  context: ChangeContext,
  action: "Unsubscribe" | "Suspend" | "Reinstate",
  type: string,
  changes: Parameters<typeof commitChange>[3],
): Promise<ActionResult> {
  const { deps, trx, row, offer, actor } = context;
  if (await deps.subscriptions.pendingOperation(trx, row.id)) {
    // A cancellation or suspension overrides a change still waiting for the publisher.
    await trx
      .updateTable("operations")
      .set({
        status: "Failed",
        pending: null,
        error_message: `Superseded by ${action}.`,
        updated_at: subscriptionNow(deps, row),
      })
      .where("subscription_id", "=", row.id)
      .where("pending", "=", 1)
      .execute();
  }
  const operationId = await insertOperation(context, action, row.plan_id, row.quantity, false);
  const now = subscriptionNow(deps, row);
  const withinRefundWindow = row.refund_window_ends_at !== null && now < row.refund_window_ends_at;
  const committed = await commitChange(
    trx,
    deps,
    row,
    { ...changes, updated_at: now },
    {
      type,
      actor,
      occurredAt: now,
      operationId,
      data: { action, ...(action === "Unsubscribe" ? { reason: "canceled", withinRefundWindow } : {}) },
      webhook: {
        action,
        operationId,
        status: "Succeeded",
        source: "Azure",
        planId: row.plan_id,
        quantity: row.quantity,
        snapshot: "after",
      },
    },
    offer.pricingModel,
  );
  return {
    subscriptionId: row.id,
    operationId,
    operationStatus: "Succeeded",
    event: eventOf(committed, type),
  };
}

async function setAutoRenew(context: ChangeContext, autoRenew: boolean): Promise<ActionResult> {
  const { deps, trx, row, offer, actor } = context;
  requireStatus(row, ["PendingFulfillmentStart", "Subscribed", "Suspended"], "change auto-renew");
  if (isTrue(row.auto_renew) === autoRenew) {
    return { subscriptionId: row.id };
  }
  const now = subscriptionNow(deps, row);
  const committed = await commitChange(
    trx,
    deps,
    row,
    { auto_renew: autoRenew ? 1 : 0, updated_at: now },
    { type: "AutoRenewChanged", actor, occurredAt: now, data: { autoRenew } },
    offer.pricingModel,
  );
  return { subscriptionId: row.id, event: eventOf(committed, "AutoRenewChanged") };
}

/** The operator renews now: the next term (or the paid term after a trial) starts today. */
async function renewNow(context: ChangeContext): Promise<ActionResult> {
  const { deps, trx, row, offer, actor } = context;
  const today = toStored(startOfUtcDay(deps.clocks.now(row.test_clock)));
  const trial = isTrue(row.is_free_trial);
  const transition = trial
    ? { kind: "convertTrial" as const, at: today, idempotencyKey: `trial-conversion:${row.id}` }
    : { kind: "renew" as const, at: today, idempotencyKey: `renew:${row.id}:${today}` };
  const type = trial ? "TrialConverted" : "Renewed";
  const operationId = await insertOperation(context, "Renew", row.plan_id, row.quantity, false);
  const committed = await commitChange(
    trx,
    deps,
    row,
    timedChanges(row, transition),
    {
      type,
      actor,
      occurredAt: subscriptionNow(deps, row),
      idempotencyKey: transition.idempotencyKey,
      operationId,
      data: { forced: true, fromTermStart: row.term_start, fromTermEnd: row.term_end },
      webhook: {
        action: "Renew",
        operationId,
        status: "Succeeded",
        source: "Azure",
        planId: row.plan_id,
        quantity: row.quantity,
        snapshot: "after",
      },
    },
    offer.pricingModel,
  );
  if (!committed) throw conflict("The subscription was already renewed today.");
  return { subscriptionId: row.id, event: eventOf(committed, type) };
}
