import type { Kysely, Selectable } from "kysely";
import type { ClockService } from "../clock/clock-service.js";
import type { Database, EventActor, InvoiceStatus, InvoiceTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { ApiError } from "../http/errors.js";

export type InvoiceRow = Selectable<InvoiceTable>;

type PaymentChange = { kind: "paymentFailed" } | { kind: "paymentRecovered" };

export interface PaymentDeps {
  db: Kysely<Database>;
  clocks: Pick<ClockService, "now" | "refresh">;
  /** Real time, for `updated_at`. */
  now(): Date;
  /** The lifecycle's marketplace-initiated change (Suspend, or Reinstate after a recovered payment). */
  changeSubscription(subscriptionId: string, change: PaymentChange, actor: EventActor): Promise<unknown>;
}

export interface SubscriptionChanged {
  subscriptionId: string;
  operationId: string | null;
  operationStatus: string | null;
}

export interface SubscriptionUnchanged {
  subscriptionId: string;
  /** Why the lifecycle did not apply the change (for example, the subscription was not Subscribed). */
  reason: string;
}

export interface PaymentResult {
  invoice: InvoiceRow;
  suspended: SubscriptionChanged[];
  reinstated: SubscriptionChanged[];
  unchanged: SubscriptionUnchanged[];
}

export type PaymentOutcome =
  | { ok: true; result: PaymentResult }
  | { ok: false; problem: "notFound" | "conflict"; message: string };

/** Another process can change the invoice between our read and our conditional update; we then decide again. */
const maxAttempts = 3;

/**
 * Marks an open or failed invoice paid, at business time on the invoice's clock. When it had failed,
 * every Suspended subscription on its lines is reinstated (payment recovered), unless another of that
 * subscription's invoices is still failed.
 */
export async function markInvoicePaid(deps: PaymentDeps, invoiceId: string): Promise<PaymentOutcome> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const invoice = await findInvoice(deps.db, invoiceId);
    if (!invoice) return notFound(invoiceId);
    if (invoice.status === "paid") {
      return conflict(
        `Invoice ${invoice.id} is already paid (paid at ${invoice.paid_at ?? "an unknown time"}).`,
      );
    }
    await deps.clocks.refresh();
    const paidAt = toStored(deps.clocks.now(invoice.clock));
    const moved = await settle(deps, invoice, { status: "paid", paid_at: paidAt });
    if (!moved) continue;
    const result = emptyResult(moved);
    if (invoice.status === "failed") {
      const candidates = await subscriptionsOn(deps.db, invoice.id);
      const blocked = await withFailedInvoices(deps.db, candidates);
      for (const subscriptionId of candidates) {
        if (blocked.has(subscriptionId)) {
          result.unchanged.push({
            subscriptionId,
            reason: "Another invoice of this subscription is still failed.",
          });
          continue;
        }
        await apply(deps, subscriptionId, { kind: "paymentRecovered" }, result, result.reinstated);
      }
    }
    return { ok: true, result };
  }
  return conflict(`Invoice ${invoiceId} kept changing while it was being marked paid; try again.`);
}

/**
 * Marks an open invoice failed, at business time on the invoice's clock, and suspends every Subscribed
 * subscription on its lines (the lifecycle's payment-failed flow: Suspend webhook, then the grace period).
 */
export async function markInvoiceFailed(deps: PaymentDeps, invoiceId: string): Promise<PaymentOutcome> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const invoice = await findInvoice(deps.db, invoiceId);
    if (!invoice) return notFound(invoiceId);
    if (invoice.status === "paid") {
      return conflict(
        `Invoice ${invoice.id} is paid (at ${invoice.paid_at ?? "an unknown time"}); it cannot fail.`,
      );
    }
    if (invoice.status === "failed") {
      return conflict(
        `Invoice ${invoice.id} already failed (at ${invoice.failed_at ?? "an unknown time"}); mark it paid once the money arrives.`,
      );
    }
    await deps.clocks.refresh();
    const failedAt = toStored(deps.clocks.now(invoice.clock));
    const moved = await settle(deps, invoice, { status: "failed", failed_at: failedAt });
    if (!moved) continue;
    const result = emptyResult(moved);
    for (const subscriptionId of await subscriptionsOn(deps.db, invoice.id)) {
      await apply(deps, subscriptionId, { kind: "paymentFailed" }, result, result.suspended);
    }
    return { ok: true, result };
  }
  return conflict(`Invoice ${invoiceId} kept changing while it was being marked failed; try again.`);
}

export function findInvoice(db: Kysely<Database>, invoiceId: string): Promise<InvoiceRow | undefined> {
  return db.selectFrom("invoices").selectAll().where("id", "=", invoiceId).executeTakeFirst();
}

/** The conditional update (`WHERE status = <as read>`): of two processes settling one invoice, one wins. */
async function settle(
  deps: PaymentDeps,
  invoice: InvoiceRow,
  change: { status: InvoiceStatus; paid_at?: string; failed_at?: string },
): Promise<InvoiceRow | undefined> {
  const updatedAt = toStored(deps.now());
  const updated = await deps.db
    .updateTable("invoices")
    .set({ ...change, updated_at: updatedAt })
    .where("id", "=", invoice.id)
    .where("status", "=", invoice.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return undefined;
  return { ...invoice, ...change, updated_at: updatedAt };
}

async function subscriptionsOn(db: Kysely<Database>, invoiceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("ledger_lines")
    .select("subscription_id")
    .distinct()
    .where("invoice_id", "=", invoiceId)
    .orderBy("subscription_id")
    .execute();
  return rows.map((row) => row.subscription_id);
}

/** Which of these subscriptions have a line on an invoice that is failed. */
async function withFailedInvoices(
  db: Kysely<Database>,
  subscriptionIds: readonly string[],
): Promise<Set<string>> {
  const blocked = new Set<string>();
  for (let start = 0; start < subscriptionIds.length; start += 500) {
    const rows = await db
      .selectFrom("ledger_lines as l")
      .innerJoin("invoices as i", "i.id", "l.invoice_id")
      .select("l.subscription_id")
      .distinct()
      .where("l.subscription_id", "in", subscriptionIds.slice(start, start + 500))
      .where("i.status", "=", "failed")
      .execute();
    for (const row of rows) blocked.add(row.subscription_id);
  }
  return blocked;
}

/**
 * Asks the lifecycle for the change. A refusal (the subscription is not in the state the change needs,
 * or it is locked by an operation in flight) means the change does not apply to it; it is reported, not raised.
 */
async function apply(
  deps: PaymentDeps,
  subscriptionId: string,
  change: PaymentChange,
  result: PaymentResult,
  changed: SubscriptionChanged[],
): Promise<void> {
  try {
    const answer = (await deps.changeSubscription(subscriptionId, change, "operator")) as {
      operationId?: string;
      operationStatus?: string;
    };
    changed.push({
      subscriptionId,
      operationId: answer?.operationId ?? null,
      operationStatus: answer?.operationStatus ?? null,
    });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error;
    result.unchanged.push({ subscriptionId, reason: error.message });
  }
}

function emptyResult(invoice: InvoiceRow): PaymentResult {
  return { invoice, suspended: [], reinstated: [], unchanged: [] };
}

function notFound(invoiceId: string): PaymentOutcome {
  return { ok: false, problem: "notFound", message: `There is no invoice "${invoiceId.slice(0, 100)}".` };
}

function conflict(message: string): PaymentOutcome {
  return { ok: false, problem: "conflict", message };
}
