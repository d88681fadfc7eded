import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { buy, type MeteringServer, startMeteringServer, usageEvent } from "./metering-support.js";

/** Two Saasport processes on one PostgreSQL: the unique index keeps one event per hour across both. */
describe.skipIf(!databaseKinds.includes("postgres"))("two nodes on one PostgreSQL", () => {
  let first: MeteringServer;
  let second: MeteringServer;
  beforeAll(async () => {
    first = await startMeteringServer("postgres");
    second = await startMeteringServer("postgres", first.server);
  });
  afterAll(async () => {
    await second?.server.stop();
    await first?.server.stop();
  });

  it("accepts each hour once, whichever node the events reach", async () => {
    const ids = [await buy(first), await buy(first)];
    const calls = [];
    for (let round = 0; round < 8; round++) {
      for (const node of [first, second]) {
        calls.push(
          node.contoso("POST", "/batchUsageEvent", {
            body: {
              request: ids.flatMap((id) =>
                [1, 2, 3].map((hoursAgo) => usageEvent(id, hoursAgo, { quantity: round + 1 })),
              ),
            },
          }),
          node.contoso("POST", "/usageEvent", { body: usageEvent(ids[0] as string, 1) }),
        );
      }
    }
    const answers = await Promise.all(calls);
    const statuses: string[] = [];
    for (const answer of answers) {
      if (Array.isArray(answer.json?.result))
        statuses.push(...answer.json.result.map((entry: { status: string }) => entry.status));
      else
        statuses.push(
          answer.status === 200 ? "Accepted" : answer.status === 409 ? "Duplicate" : String(answer.status),
        );
    }
    expect(statuses.filter((status) => status === "Accepted")).toHaveLength(6);
    expect(statuses.filter((status) => status !== "Accepted" && status !== "Duplicate")).toEqual([]);
    const report = await second.contoso("GET", "/usageEvents?usageStartDate=2026-05-01");
    const counts = (report.json as Array<{ submittedCount: number }>).reduce(
      (sum, row) => sum + row.submittedCount,
      0,
    );
    expect(counts).toBe(6);
  });
});
