import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { advance, insertSubscriptions, seedWithWebhook, start, subscriptionRow } from "./clock-support.js";

const dayMs = 86_400_000;

/** The last day of a term that starts on `startDay` and runs `months` calendar months (ends clamp to month ends). */
function termEnd(startDay: number, months: number): number {
  const from = new Date(startDay);
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const daysInTarget = 32 - new Date(Date.UTC(year, month, 32)).getUTCDate();
  return Date.UTC(year, month, Math.min(from.getUTCDate(), daysInTarget)) - dayMs;
}

/** Renewals between activation and `until`, and the term in force at `until`, computed from first principles. */
function expectedTerms(activatedAt: Date, months: number, until: number) {
  let termStart = Date.UTC(activatedAt.getUTCFullYear(), activatedAt.getUTCMonth(), activatedAt.getUTCDate());
  let end = termEnd(termStart, months);
  let renewals = 0;
  while (end + dayMs <= until) {
    termStart = end + dayMs;
    end = termEnd(termStart, months);
    renewals++;
  }
  return { renewals, termStart: new Date(termStart).toISOString(), termEnd: new Date(end).toISOString() };
}

describe.each(databaseKinds)("a three-year advance on %s", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    // No connection webhook: the 30,000 Renew deliveries fail before any call instead of flooding loopback.
    server = await startTestServer({ database, clock: new ManualClock(start), seed: seedWithWebhook("") });
  });
  afterAll(async () => server?.stop());

  it("renews 1,000 monthly and annual subscriptions exactly as often as their terms say", {
    timeout: 240_000,
  }, async () => {
    // Activated on each of the 28 days before the start (Dec 19 to Jan 15: month ends included).
    const setups = Array.from({ length: 1000 }, (_, index) => ({
      activatedAt: new Date(start.getTime() - (index % 28) * dayMs - (index % 7) * 3_600_000),
      termUnit: index % 2 === 0 ? "P1Y" : "P1M",
    }));
    const rows = setups.map((setup) => subscriptionRow(setup));
    await insertSubscriptions(server.handle.database.db, rows);

    const started = performance.now();
    const moved = await advance(server, "P3Y");
    const seconds = (performance.now() - started) / 1000;
    const until = Date.parse(moved.now);
    expect(moved.now).toBe("2028-01-15T10:00:00.000Z");

    const expected = setups.map((setup) =>
      expectedTerms(setup.activatedAt, setup.termUnit === "P1Y" ? 12 : 1, until),
    );
    const total = expected.reduce((sum, terms) => sum + terms.renewals, 0);
    expect(moved.transitions).toEqual({ renewed: total, trialsConverted: 0, unsubscribed: 0 });

    const db = server.handle.database.db;
    const finals = new Map(
      (
        await db.selectFrom("subscriptions").select(["id", "term_start", "term_end", "event_seq"]).execute()
      ).map((row) => [row.id, row]),
    );
    rows.forEach((row, index) => {
      const terms = expected[index];
      expect(finals.get(row.id as string), `subscription ${index}`).toEqual({
        id: row.id,
        term_start: terms?.termStart,
        term_end: terms?.termEnd,
        event_seq: terms?.renewals,
      });
    });
    const recorded = await db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("type", "=", "Renewed")
      .executeTakeFirstOrThrow();
    expect(Number(recorded.count)).toBe(total);
    console.info(
      `${database}: ${total} renewals of 1,000 subscriptions over three years in ${seconds.toFixed(1)} s`,
    );
  });
});
