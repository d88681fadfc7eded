import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import { defaultSettings } from "../../src/config/settings.js";
import { activationChanges, activationEvent } from "../../src/subscriptions/activation.js";
import { planChange } from "../../src/subscriptions/lifecycle/commit.js";
import { commitChanges, commitIfUnchanged } from "../../src/subscriptions/lifecycle/commit-together.js";
import { isUniqueViolation, type SubscriptionRow } from "../../src/subscriptions/repository.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

// The one-statement commit exists on PostgreSQL only; SQLite commits every change the locked way.
describe.skipIf(!databaseKinds.includes("postgres"))("commitIfUnchanged on PostgreSQL", () => {
  let server: TestServer;
  const deps = { settings: defaultSettings, clock: systemClock };
  const at = new Date("2026-05-04T09:00:00.000Z");

  beforeAll(async () => {
    server = await startTestServer({ database: "postgres", seed: seedFixtureCatalog });
  });
  afterAll(async () => server?.stop());

  const db = () => server.handle.database.db;
  const pendingRows = async (count: number): Promise<SubscriptionRow[]> => {
    const bought = await Promise.all(
      Array.from({ length: count }, () =>
        purchase(server, { offerId: "seats", planId: "team", quantity: 2 }),
      ),
    );
    const ids = bought.map((purchased) => purchased.subscriptionId);
    return db().selectFrom("subscriptions").selectAll().where("id", "in", ids).execute();
  };
  const activation = (row: SubscriptionRow) =>
    planChange(
      deps,
      row,
      activationChanges(row, at, "2026-05-04T09:00:00.000Z"),
      activationEvent(row, at, "publisher"),
    );
  const eventsOf = (id: string) =>
    db()
      .selectFrom("events")
      .select(["seq", "type"])
      .where("subscription_id", "=", id)
      .orderBy("seq")
      .execute();
  const statusOf = async (id: string) =>
    await db()
      .selectFrom("subscriptions")
      .select(["status", "event_seq"])
      .where("id", "=", id)
      .executeTakeFirst();

  it("commits every change in one call: the subscription, its sequence and its event", async () => {
    const rows = await pendingRows(5);
    const changed = await commitIfUnchanged(db(), rows.map(activation), (error) => {
      throw error;
    });
    expect([...changed].sort()).toEqual(rows.map((row) => row.id).sort());
    for (const row of rows) {
      expect(await statusOf(row.id)).toEqual({ status: "Subscribed", event_seq: 2 });
      expect(await eventsOf(row.id)).toEqual([
        { seq: 1, type: "Purchased" },
        { seq: 2, type: "Activated" },
      ]);
    }
  });

  it("leaves out a subscription changed since it was read, overwriting nothing", async () => {
    const [stale, fresh] = (await pendingRows(2)) as [SubscriptionRow, SubscriptionRow];
    const plannedFromStale = activation(stale);
    await db()
      .updateTable("subscriptions")
      .set({ event_seq: Number(stale.event_seq) + 1, name: "changed meanwhile" })
      .where("id", "=", stale.id)
      .execute();
    const changed = await commitIfUnchanged(db(), [plannedFromStale, activation(fresh)]);
    expect([...changed]).toEqual([fresh.id]);
    expect(await statusOf(stale.id)).toEqual({ status: "PendingFulfillmentStart", event_seq: 2 });
    expect(await eventsOf(stale.id)).toEqual([{ seq: 1, type: "Purchased" }]);
  });

  it("changes nothing of a statement that fails, and says so by leaving its ids out", async () => {
    const [first, second] = (await pendingRows(2)) as [SubscriptionRow, SubscriptionRow];
    const duplicate = activation(second);
    // An event whose idempotency key is taken fails the whole statement.
    duplicate.event.idempotency_key = `purchase:${second.id}`;
    await db()
      .updateTable("events")
      .set({ idempotency_key: `purchase:${second.id}` })
      .where("subscription_id", "=", second.id)
      .execute();
    const failures: unknown[] = [];
    const changed = await commitIfUnchanged(db(), [activation(first), duplicate], (error) => {
      failures.push(error);
    });
    expect(changed.size).toBe(0);
    expect(failures).toHaveLength(1);
    expect(isUniqueViolation(failures[0])).toBe(true);
    expect(await statusOf(first.id)).toEqual({ status: "PendingFulfillmentStart", event_seq: 1 });
    expect(await statusOf(second.id)).toEqual({ status: "PendingFulfillmentStart", event_seq: 1 });
  });

  it("waits for a transaction holding the row, then leaves it out if that transaction changed it", async () => {
    const [held, free] = (await pendingRows(2)) as [SubscriptionRow, SubscriptionRow];
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = db()
      .transaction()
      .execute(async (trx) => {
        await sql`select id from subscriptions where id = ${held.id} for update`.execute(trx);
        await trx
          .updateTable("subscriptions")
          .set({ event_seq: Number(held.event_seq) + 1 })
          .where("id", "=", held.id)
          .execute();
        locked();
        await released;
      });
    await isLocked;
    const committing = commitIfUnchanged(db(), [activation(held), activation(free)]);
    const settledEarly = await Promise.race([
      committing.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200)),
    ]);
    expect(settledEarly).toBe(false);
    release();
    await holder;
    expect([...(await committing)]).toEqual([free.id]);
    expect(await statusOf(held.id)).toEqual({ status: "PendingFulfillmentStart", event_seq: 2 });
  });
});

// The locked batch runs on both databases: set-based on PostgreSQL, `commitChange` one by one on SQLite.
describe.each(databaseKinds)("commitChanges on %s", (kind) => {
  let server: TestServer;
  const deps = { settings: defaultSettings, clock: systemClock };
  const at = "2026-05-04T09:00:00.000Z";

  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
  });
  afterAll(async () => server?.stop());

  it("commits each change with its event and webhook, and skips one whose event is already recorded", async () => {
    const db = server.handle.database.db;
    const bought = await Promise.all(
      Array.from({ length: 3 }, () => purchase(server, { offerId: "seats", planId: "team", quantity: 2 })),
    );
    const ids = bought.map((purchased) => purchased.subscriptionId);
    const rows = await db
      .selectFrom("subscriptions")
      .selectAll()
      .where("id", "in", ids)
      .orderBy("id")
      .execute();
    const change = (row: SubscriptionRow, quantity: number, idempotencyKey?: string) => ({
      row,
      changes: { quantity, updated_at: at },
      event: {
        type: "QuantityChanged",
        actor: "publisher" as const,
        occurredAt: at,
        operationId: `op-${row.id}`,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        data: { toQuantity: quantity },
        webhook: {
          action: "ChangeQuantity" as const,
          operationId: `op-${row.id}`,
          status: "Succeeded" as const,
          source: "Partner" as const,
          planId: row.plan_id,
          quantity,
          snapshot: "before" as const,
        },
      },
      pricingModel: "perUser" as const,
    });
    const [first, recorded, third] = rows as [SubscriptionRow, SubscriptionRow, SubscriptionRow];
    await db
      .updateTable("events")
      .set({ idempotency_key: `purchase:${recorded.id}` })
      .where("subscription_id", "=", recorded.id)
      .execute();
    const results = await db
      .transaction()
      .execute((trx) =>
        commitChanges(trx, deps, [
          change(first, 5),
          change(recorded, 6, `purchase:${recorded.id}`),
          change(third, 7),
        ]),
      );
    expect(results.map((result) => result?.seq)).toEqual([2, undefined, 2]);
    const untouched = await db
      .selectFrom("subscriptions")
      .select(["quantity", "event_seq"])
      .where("id", "=", recorded.id)
      .executeTakeFirst();
    expect(untouched).toEqual({ quantity: 2, event_seq: 1 });
    expect(results[0]?.row.quantity).toBe(5);
    for (const [row, quantity] of [
      [first, 5],
      [third, 7],
    ] as const) {
      const now = await db
        .selectFrom("subscriptions")
        .select(["quantity", "event_seq"])
        .where("id", "=", row.id)
        .executeTakeFirst();
      expect(now).toEqual({ quantity, event_seq: 2 });
      const deliveries = await db
        .selectFrom("webhook_deliveries")
        .select(["id", "seq", "operation_id", "payload"])
        .where("subscription_id", "=", row.id)
        .execute();
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ seq: 2, operation_id: `op-${row.id}` });
      expect(JSON.parse(deliveries[0]?.payload as string)).toMatchObject({
        action: "ChangeQuantity",
        quantity,
      });
    }
    expect(results[0]?.deliveryId).toBeDefined();
  });
});
