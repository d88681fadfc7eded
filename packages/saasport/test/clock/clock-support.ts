import { randomUUID } from "node:crypto";
import type { Insertable, Kysely } from "kysely";
import { expect } from "vitest";
import { defaultLifecycle } from "../../src/config/settings.js";
import type { Database, SubscriptionTable } from "../../src/db/tables.js";
import { activationTimers, nextDueAt } from "../../src/subscriptions/lifecycle/timers.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import type { TestServer } from "../support/server.js";

/** The business day the clock tests start on (the base ManualClock starts here). */
export const start = new Date("2025-01-15T10:00:00.000Z");

/** Seeds the fixture catalog with webhooks pointing at a closed loopback port (or at `webhookUrl`). */
export function seedWithWebhook(webhookUrl = "http://127.0.0.1:9/webhook") {
  return async (db: Kysely<Database>) => {
    await seedFixtureCatalog(db);
    await db.updateTable("publishers").set({ webhook_url: webhookUrl }).execute();
  };
}

export interface SubscriptionSetup {
  offerId?: string;
  planId?: string;
  termUnit?: string;
  status?: SubscriptionTable["status"];
  /** Activation instant (Subscribed rows); the term starts that day. */
  activatedAt?: Date;
  createdAt?: Date;
  autoRenew?: boolean;
  freeTrial?: boolean;
  suspendedAt?: Date;
  testClock?: string;
  quantity?: number | null;
}

/** A subscription row as a purchase (and activation) writes it, with its timer computed. */
export function subscriptionRow(setup: SubscriptionSetup = {}): Insertable<SubscriptionTable> {
  const status = setup.status ?? "Subscribed";
  const createdAt = (setup.createdAt ?? setup.activatedAt ?? start).toISOString();
  const termUnit = setup.termUnit ?? "P1M";
  const beneficiary = { emailId: "ada@buyer.example", objectId: randomUUID(), tenantId: fixture.buyerTenant };
  const base = {
    id: randomUUID(),
    publisher_id: "contoso",
    offer_id: setup.offerId ?? "analytics",
    plan_id: setup.planId ?? "basic",
    name: "clock test subscription",
    status,
    quantity: setup.quantity ?? null,
    term_unit: termUnit,
    payment_option: "upfront",
    term_start: null as string | null,
    term_end: null as string | null,
    auto_renew: setup.autoRenew === false ? 0 : 1,
    is_test: 0,
    is_free_trial: setup.freeTrial ? 1 : 0,
    is_preview: 0,
    allowed_customer_operations: JSON.stringify(["Delete", "Read", "Update"]),
    sandbox_type: "None" as const,
    session_mode: "None" as const,
    channel: "direct" as const,
    market: "US",
    beneficiary: JSON.stringify(beneficiary),
    purchaser: JSON.stringify(beneficiary),
    beneficiary_tenant_id: fixture.buyerTenant,
    purchaser_tenant_id: fixture.buyerTenant,
    created_at: createdAt,
    updated_at: createdAt,
    activated_at: null as string | null,
    unsubscribed_at: null,
    test_clock: setup.testClock ?? "",
    suspended_at: setup.suspendedAt?.toISOString() ?? null,
    trial_ends_at: null as string | null,
  };
  if (status !== "PendingFulfillmentStart") {
    const activatedAt = setup.activatedAt ?? start;
    Object.assign(base, activationTimers(base, activatedAt), { activated_at: activatedAt.toISOString() });
  }
  return { ...base, next_due_at: nextDueAt(base, { ...defaultLifecycle, pendingExpiryDays: 7 }) };
}

export async function insertSubscriptions(db: Kysely<Database>, rows: Insertable<SubscriptionTable>[]) {
  for (let index = 0; index < rows.length; index += 100) {
    await db
      .insertInto("subscriptions")
      .values(rows.slice(index, index + 100))
      .execute();
  }
}

export async function insertSubscription(server: TestServer, setup: SubscriptionSetup = {}) {
  const row = subscriptionRow(setup);
  await insertSubscriptions(server.handle.database.db, [row]);
  return row.id as string;
}

/** Calls an operator route with the operator key; returns status and parsed body. */
export async function operator(server: TestServer, method: string, path: string, body?: unknown) {
  const response = await server.fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${server.operatorKey}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function advance(server: TestServer, duration: string | number, testClock?: string) {
  const answer = await operator(server, "POST", "/operator/v1/clock/advance", {
    duration,
    ...(testClock ? { testClock } : {}),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as {
    before: string;
    now: string;
    testClock: string | null;
    transitions: { renewed: number; trialsConverted: number; unsubscribed: number };
    overdue: number;
  };
}

export async function subscription(server: TestServer, id: string) {
  return server.handle.database.db
    .selectFrom("subscriptions")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

export async function eventsOf(server: TestServer, id: string) {
  return server.handle.database.db
    .selectFrom("events")
    .selectAll()
    .where("subscription_id", "=", id)
    .orderBy("seq")
    .execute();
}

export async function deliveriesOf(server: TestServer, id: string) {
  return server.handle.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("subscription_id", "=", id)
    .orderBy("seq")
    .execute();
}

/** The day after `day` (UTC midnights), computed without the project's date helpers. */
export function dayAfter(day: string): string {
  const date = new Date(day);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}
