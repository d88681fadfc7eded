import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import { defaultSettings } from "../../src/config/settings.js";
import { activationChanges, activationEvent } from "../../src/subscriptions/activation.js";
import { planChange } from "../../src/subscriptions/lifecycle/commit.js";
import { commitIfUnchanged } from "../../src/subscriptions/lifecycle/commit-if-unchanged.js";
import type { SubscriptionRow } from "../../src/subscriptions/repository.js";
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
    const changed = await commitIfUnchanged(db(), rows.map(activation));
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
    const changed = await commitIfUnchanged(db(), [activation(first), duplicate]);
    expect(changed.size).toBe(0);
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
