import type { Transaction } from "kysely";
import type { PricingModel } from "../catalog/model.js";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { timeOrderedId } from "../db/time-ordered-id.js";
import { activationChanges } from "../subscriptions/activation.js";
import { type CommitDeps, commitChange } from "../subscriptions/lifecycle/commit.js";

/**
 * Writes the `Purchased` event of a subscription just inserted in this transaction. An auto-activation
 * plan skips the landing page: the subscription is Subscribed at once and announced with `Subscribe`.
 */
export async function recordPurchase(
  trx: Transaction<Database>,
  deps: CommitDeps,
  subscriptionId: string,
  pricingModel: PricingModel,
  options: { autoActivation: boolean; at: Date },
): Promise<void> {
  const row = await trx
    .selectFrom("subscriptions")
    .selectAll()
    .where("id", "=", subscriptionId)
    .executeTakeFirstOrThrow();
  const at = toStored(options.at);
  const purchased = await commitChange(
    trx,
    deps,
    row,
    {},
    {
      type: "Purchased",
      actor: "buyer",
      occurredAt: at,
      data: {
        planId: row.plan_id,
        quantity: row.quantity,
        termUnit: row.term_unit,
        paymentOption: row.payment_option,
        channel: row.channel,
        purchaserTenantId: row.purchaser_tenant_id,
        beneficiaryTenantId: row.beneficiary_tenant_id,
        ...(row.private_offer_id ? { privateOfferId: row.private_offer_id } : {}),
      },
    },
    pricingModel,
  );
  if (!options.autoActivation || !purchased) return;
  await commitChange(
    trx,
    deps,
    purchased.row,
    activationChanges(purchased.row, options.at, at),
    {
      type: "Activated",
      actor: "marketplace",
      occurredAt: at,
      idempotencyKey: `activation:${subscriptionId}`,
      data: { autoActivation: true, planId: row.plan_id, quantity: row.quantity },
      webhook: {
        action: "Subscribe",
        operationId: timeOrderedId(),
        status: "Succeeded",
        source: "Azure",
        planId: row.plan_id,
        quantity: row.quantity,
        snapshot: "after",
      },
    },
    pricingModel,
  );
}
