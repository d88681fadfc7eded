import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { delivery, pointWebhookAt, queueDeliveries, type Receiver, startReceiver } from "./receiver.js";

const subscriptions = 100;
const perSubscription = 10;

describe.skipIf(!databaseKinds.includes("postgres"))(
  "two Saasport processes on one PostgreSQL database",
  () => {
    let database: TestDatabase | undefined;
    const servers: TestServer[] = [];
    let receiver: Receiver | undefined;
    afterAll(async () => {
      for (const server of servers) await server.stop();
      await receiver?.close();
      await database?.dispose();
    });

    it("deliver 1,000 queued deliveries exactly once each, every subscription in order", async () => {
      receiver = await startReceiver();
      const url = receiver.url;
      database = await createTestDatabase("postgres");
      const shared = database;
      servers.push(
        await startTestServer({
          database: "postgres",
          shareDatabase: shared,
          seed: async (db) => {
            await seedFixtureCatalog(db);
            await pointWebhookAt(db, "contoso", url);
          },
        }),
      );
      servers.push(await startTestServer({ database: "postgres", shareDatabase: shared }));
      const [first, second] = servers;
      if (!first || !second) throw new Error("servers did not start");

      const queued = [];
      for (let s = 0; s < subscriptions; s++) {
        const subscriptionId = `55555555-0000-4000-8000-${String(s).padStart(12, "0")}`;
        for (let seq = 1; seq <= perSubscription; seq++) {
          queued.push(delivery({ subscriptionId, seq, payload: { subscriptionId, seqMarker: seq } }));
        }
      }
      const ids = await queueDeliveries(first.handle.database.db, queued);
      // Both processes work the same outbox at once: their background loops and a pass each.
      await Promise.all([first.handle.runBackgroundWork(), second.handle.runBackgroundWork()]);
      await receiver.waitForCalls(ids.length, 30_000);
      // Late duplicates would arrive after the count is reached; give them a moment to show.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const counts = new Map<string, number>();
      for (const call of receiver.calls) {
        const id = String(call.headers["x-saasport-delivery-id"]);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      expect(receiver.calls).toHaveLength(ids.length);
      expect(new Set(counts.keys())).toEqual(new Set(ids));
      expect([...counts.values()].every((count) => count === 1)).toBe(true);

      const order = new Map<string, number[]>();
      for (const call of receiver.calls) {
        const body = JSON.parse(call.body) as { subscriptionId: string; seqMarker: number };
        order.set(body.subscriptionId, [...(order.get(body.subscriptionId) ?? []), body.seqMarker]);
      }
      const ascending = Array.from({ length: perSubscription }, (_, index) => index + 1);
      for (const seqs of order.values()) expect(seqs).toEqual(ascending);

      const owners = await first.handle.database.db
        .selectFrom("webhook_deliveries")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("status", "=", "delivered")
        .executeTakeFirstOrThrow();
      expect(Number(owners.count)).toBe(ids.length);
    });
  },
);
