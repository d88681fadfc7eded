import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailySums, type SummableUsage } from "../../src/metering/daily-sums.js";
import { databaseKinds } from "../support/databases.js";
import { buy, type MeteringServer, startMeteringServer, usageEvent } from "./metering-support.js";

const event = (overrides: Partial<SummableUsage>): SummableUsage => ({
  subscription_id: "s1",
  dimension: "api-calls",
  plan_id: "basic",
  publisher_id: "contoso",
  offer_id: "analytics",
  quantity_micros: "1000000",
  effective_start_time: "2026-05-02T10:00:00.000Z",
  ...overrides,
});

describe("dailySums", () => {
  it.each([
    { name: "nothing", usage: [], sums: [] },
    {
      name: "one event",
      usage: [event({})],
      sums: [{ usage_day: "2026-05-02", subscription_id: "s1", quantity_micros: 1_000_000n, events: 1 }],
    },
    {
      name: "hours of one day add up, exactly",
      usage: [
        event({ quantity_micros: "100000" }),
        event({ quantity_micros: 200000, effective_start_time: "2026-05-02T23:59:59.999Z" }),
        event({ quantity_micros: 9_007_199_254_740_993n, effective_start_time: "2026-05-02T00:00:00.000Z" }),
      ],
      sums: [
        {
          usage_day: "2026-05-02",
          subscription_id: "s1",
          quantity_micros: 9_007_199_255_040_993n,
          events: 3,
        },
      ],
    },
    {
      name: "days, subscriptions, dimensions and plans are kept apart, in key order",
      usage: [
        event({ effective_start_time: "2026-05-02T01:00:00.000Z" }),
        event({ effective_start_time: "2026-05-01T23:00:00.000Z" }),
        event({ subscription_id: "s0" }),
        event({ dimension: "storage-gb" }),
        event({ plan_id: "premium" }),
      ],
      sums: [
        { usage_day: "2026-05-01", subscription_id: "s1", dimension: "api-calls", plan_id: "basic" },
        { usage_day: "2026-05-02", subscription_id: "s0", dimension: "api-calls", plan_id: "basic" },
        { usage_day: "2026-05-02", subscription_id: "s1", dimension: "api-calls", plan_id: "basic" },
        { usage_day: "2026-05-02", subscription_id: "s1", dimension: "api-calls", plan_id: "premium" },
        { usage_day: "2026-05-02", subscription_id: "s1", dimension: "storage-gb", plan_id: "basic" },
      ],
    },
  ])("$name", ({ usage, sums }) => {
    const result = dailySums(usage);
    expect(result).toHaveLength(sums.length);
    for (const [index, expected] of sums.entries()) expect(result[index]).toMatchObject(expected);
  });
});

describe.each(databaseKinds)("usage_daily on %s", (kind) => {
  let env: MeteringServer;
  beforeAll(async () => {
    env = await startMeteringServer(kind);
  });
  afterAll(async () => {
    await env?.server.stop();
  });

  it("holds the sums of exactly the accepted events, whatever arrives together or twice", async () => {
    const ids = [await buy(env), await buy(env), await buy(env)];
    // The last 24 hours span two days; every hour is sent by several requests at once, in two shapes.
    const calls = [];
    for (let round = 0; round < 6; round++) {
      for (const id of ids) {
        calls.push(
          env.contoso("POST", "/batchUsageEvent", {
            body: {
              request: [1, 5, 13, 20].flatMap((hoursAgo) => [
                usageEvent(id, hoursAgo, { quantity: round + 0.25 }),
                usageEvent(id, hoursAgo, { quantity: 7, dimension: "storage-gb" }),
              ]),
            },
          }),
          env.contoso("POST", "/usageEvent", { body: usageEvent(id, 2 + round, { quantity: 0.5 }) }),
        );
      }
    }
    const answers = await Promise.all(calls);
    for (const answer of answers) expect([200, 409]).toContain(answer.status);

    const db = env.server.handle.database.db;
    const fromEvents = await db
      .selectFrom("usage_events")
      .select([
        sql<string>`substr(effective_start_time, 1, 10)`.as("day"),
        "subscription_id",
        "dimension",
        "plan_id",
        sql<string>`cast(sum(quantity_micros) as text)`.as("micros"),
        sql<string>`cast(count(*) as text)`.as("events"),
      ])
      .groupBy([sql`substr(effective_start_time, 1, 10)`, "subscription_id", "dimension", "plan_id"])
      .execute();
    const daily = await db
      .selectFrom("usage_daily")
      .select([
        "usage_day as day",
        "subscription_id",
        "dimension",
        "plan_id",
        sql<string>`cast(quantity_micros as text)`.as("micros"),
        sql<string>`cast(events as text)`.as("events"),
      ])
      .execute();
    const byKey = (rows: typeof daily) =>
      rows
        .map(
          (row) =>
            `${row.day} ${row.subscription_id} ${row.dimension} ${row.plan_id} ${row.micros} ${row.events}`,
        )
        .sort();
    // 3 subscriptions × 2 days × 2 dimensions; api-calls also has the single events' hours.
    expect(daily).toHaveLength(12);
    expect(byKey(daily)).toEqual(byKey(fromEvents));
    const accepted = await db
      .selectFrom("usage_events")
      .select(sql<string>`count(*)`.as("n"))
      .executeTakeFirst();
    // Per subscription: 4 hours × 2 dimensions, and the single events' hours 2 to 7 but 5 (taken).
    expect(Number(accepted?.n)).toBe(3 * (4 * 2 + 5));
  });
});
