import { describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds } from "../support/databases.js";
import { ManualClock, startTestServer } from "../support/server.js";
import { eventsOf, insertSubscription, seedWithWebhook, start, subscription } from "./clock-support.js";

describe.each(databaseKinds)("catching up after downtime on %s", (kind) => {
  it("applies every renewal missed while no Saasport ran, each once, dated when due, in time order", async () => {
    const database = await createTestDatabase(kind);
    const clock = new ManualClock(start);
    try {
      const first = await startTestServer({
        database: kind,
        shareDatabase: database,
        clock,
        seed: seedWithWebhook(),
      });
      const early = await insertSubscription(first, { activatedAt: start });
      const later = await insertSubscription(first, { activatedAt: new Date("2025-01-20T09:00:00Z") });
      const annual = await insertSubscription(first, { termUnit: "P1Y" });
      await first.stop();

      clock.advance(92 * 86_400_000); // 2025-04-17: three renewal dates of `early` passed, two of `later`
      const second = await startTestServer({ database: kind, shareDatabase: database, clock });
      try {
        await second.handle.runBackgroundWork();
        const renewals = await eventsOf(second, early);
        expect(renewals.map((event) => [event.seq, event.type, event.occurred_at])).toEqual([
          [1, "Renewed", "2025-02-15T00:00:00.000Z"],
          [2, "Renewed", "2025-03-15T00:00:00.000Z"],
          [3, "Renewed", "2025-04-15T00:00:00.000Z"],
        ]);
        expect(new Set(renewals.map((event) => event.idempotency_key)).size).toBe(3);
        expect(await subscription(second, early)).toMatchObject({
          term_start: "2025-04-15T00:00:00.000Z",
          term_end: "2025-05-14T00:00:00.000Z",
        });
        expect((await eventsOf(second, later)).map((event) => event.occurred_at)).toEqual([
          "2025-02-20T00:00:00.000Z",
          "2025-03-20T00:00:00.000Z",
        ]);
        expect(await eventsOf(second, annual)).toEqual([]);

        // Across subscriptions, transitions were recorded in due-time order.
        const recorded = await second.handle.database.db
          .selectFrom("events")
          .select("occurred_at")
          .orderBy("position")
          .execute();
        const times = recorded.map((event) => event.occurred_at);
        expect(times).toEqual([...times].sort());
        expect(times).toHaveLength(5);

        // A later poll finds nothing more to do.
        await second.handle.runBackgroundWork();
        expect(await eventsOf(second, early)).toHaveLength(3);
      } finally {
        await second.stop();
      }
    } finally {
      await database.dispose();
    }
  });
});
