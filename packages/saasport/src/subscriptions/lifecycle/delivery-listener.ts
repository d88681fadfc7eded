import { toStored } from "../../db/time.js";
import type { DeliveryListener, DeliveryNotice } from "../../webhooks/listener.js";
import type { FulfillmentDeps } from "../deps.js";
import { awaitingDelivery, failOperation } from "./operations.js";

/**
 * How webhook outcomes move marketplace-initiated operations: once the ChangePlan/ChangeQuantity/
 * Reinstate webhook was delivered, the publisher's ack window starts (the processor auto-succeeds the
 * operation when it elapses); a 4xx rejection or a delivery that gave up fails the operation.
 */
export function createOperationDeliveryListener(deps: FulfillmentDeps): DeliveryListener {
  async function fail(notice: DeliveryNotice, reason: string, message: string, statusCode?: number) {
    const operation = await deps.subscriptions.getOperation(notice.subscriptionId, notice.operationId);
    if (operation?.source !== "Azure" || operation.pending !== 1) return;
    const snapshot = await deps.subscriptions.get(notice.subscriptionId);
    if (!snapshot) return;
    const pricingModel =
      (await deps.catalog.getOffer(snapshot.publisher_id, snapshot.offer_id))?.pricingModel ?? "flatRate";
    const failed = await deps.subscriptions.transaction(async (trx) => {
      const row = await deps.subscriptions.getForUpdate(trx, notice.subscriptionId);
      const current = await deps.subscriptions.getOperation(notice.subscriptionId, notice.operationId, trx);
      if (!row || !current || current.pending !== 1) return undefined;
      return failOperation(trx, deps, row, current, pricingModel, {
        actor: "publisher",
        reason,
        message,
        ...(statusCode === undefined ? {} : { statusCode }),
      });
    });
    if (failed) deps.signals.eventsRecorded();
  }

  return {
    async delivered(notice) {
      // Only operations awaiting the publisher have an ack window; notifications need nothing.
      if (notice.payloadStatus !== "InProgress") return;
      // Conditional: only an operation still waiting for its delivery gets an ack window.
      await deps.db
        .updateTable("operations")
        .set({ due_at: toStored(new Date(deps.clock.now().getTime() + deps.settings.lifecycle.ackWindowMs)) })
        .where("id", "=", notice.operationId)
        .where("subscription_id", "=", notice.subscriptionId)
        .where("source", "=", "Azure")
        .where("status", "=", "InProgress")
        .where("due_at", "=", awaitingDelivery)
        .execute();
      deps.processor.kick();
    },
    rejected(notice, statusCode) {
      return fail(
        notice,
        "rejectedByPublisher",
        `The publisher's webhook answered ${statusCode} and rejected the change.`,
        statusCode,
      );
    },
    gaveUp(notice) {
      return fail(notice, "webhookNotAccepted", "The publisher's webhook never accepted the notification.");
    },
  };
}
