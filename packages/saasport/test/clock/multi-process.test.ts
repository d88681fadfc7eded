import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { insertSubscriptions, operator, seedWithWebhook, start, subscriptionRow } from "./clock-support.js";

/** Two Saasport processes on one PostgreSQL database, both moving the clock and polling at once. */
describe.skipIf(!databaseKinds.includes("postgres"))(
  "the scheduler on two nodes of one PostgreSQL database",
  () => {
    let database: TestDatabase;
    let first: TestServer;
    let second: TestServer;
    const clock = new ManualClock(start);

    beforeAll(async () => {
      database = await createTestDatabase("postgres");
      first = await startTestServer({
        database: "postgres",
        shareDatabase: database,
        clock,
        seed: seedWithWebhook(),
      });
      second = await startTestServer({ database: "postgres", shareDatabase: database, clock });
    });
    afterAll(async () => {
      await first?.stop();
      await second?.stop();
      await database?.dispose();
    });

    it("fires every renewal exactly once while both nodes advance and poll", async () => {
      const rows = Array.from({ length: 60 }, (_, index) =>
        subscriptionRow({ activatedAt: new Date(start.getTime() - (index % 28) * 86_400_000) }),
      );
      await insertSubscriptions(first.handle.database.db, rows);
      const target = "2025-07-15T10:00:00.000Z";
      const moves = await Promise.all([
        operator(first, "PUT", "/operator/v1/clock", { now: target }),
        operator(second, "PUT", "/operator/v1/clock", { now: target }),
        first.handle.runBackgroundWork(),
        second.handle.runBackgroundWork(),
        operator(second, "POST", "/operator/v1/clock/advance", { duration: "PT1H" }),
      ]);
      for (const move of [moves[0], moves[1], moves[4]])
        expect(move.status, JSON.stringify(move.body)).toBe(200);
      await Promise.all([first.handle.runBackgroundWork(), second.handle.runBackgroundWork()]);

      const db = first.handle.database.db;
      const events = await db
        .selectFrom("events")
        .select(["subscription_id", "seq", "idempotency_key"])
        .execute();
      // Activated between Dec 19 and Jan 15, renewed monthly until mid-July: exactly 6 renewals each.
      expect(events).toHaveLength(60 * 6);
      expect(new Set(events.map((event) => event.idempotency_key)).size).toBe(events.length);
      for (const row of rows) {
        const seqs = events
          .filter((event) => event.subscription_id === row.id)
          .map((event) => event.seq)
          .sort((a, b) => a - b);
        expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
      }
      const deliveries = await db.selectFrom("webhook_deliveries").select("event_id").execute();
      expect(new Set(deliveries.map((delivery) => delivery.event_id)).size).toBe(deliveries.length);
      expect(deliveries).toHaveLength(events.length);
    });
  },
);
