import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azureSubscriptionIdOf } from "../../src/metering/resource-uri.js";
import { databaseKinds } from "../support/databases.js";
import { assertMatchesOfficialSchema } from "../support/openapi.js";
import { buy, type MeteringServer, startMeteringServer, usageEvent } from "./metering-support.js";

interface Aggregate {
  usageDate: string;
  usageResourceId: string;
  dimension: string;
  planId: string;
  planName: string;
  offerName: string;
  reconStatus: string;
  submittedQuantity: number;
  processedQuantity: number;
  submittedCount: number;
  azureSubscriptionId: string;
}

describe.each(databaseKinds)("GET /api/usageEvents on %s", (kind) => {
  let env: MeteringServer;
  let first: string;
  let second: string;
  let test: string;
  let dryRun: string;
  beforeAll(async () => {
    env = await startMeteringServer(kind);
    first = await buy(env);
    second = await buy(env);
    test = await buy(env);
    dryRun = await buy(env);
    // Today (2026-05-02, before 12:30): 0.1 + 0.2 at two hours, 5 on another dimension.
    // Yesterday (2026-05-01, after 12:30): 1.5 and 2.25.
    const request = [
      usageEvent(first, 1, { quantity: 0.1 }),
      usageEvent(first, 2, { quantity: 0.2 }),
      usageEvent(first, 2, { quantity: 5, dimension: "storage-gb" }),
      usageEvent(first, 14, { quantity: 1.5 }),
      usageEvent(first, 20, { quantity: 2.25 }),
      usageEvent(second, 3, { quantity: 1000000.000001 }),
      usageEvent(test, 3, { quantity: 4 }),
      usageEvent(dryRun, 3, { quantity: 6 }),
    ];
    const posted = await env.contoso("POST", "/batchUsageEvent", { body: { request } });
    expect(
      (posted.json.result as Array<{ status: string }>).every((entry) => entry.status === "Accepted"),
    ).toBe(true);
    const db = env.server.handle.database.db;
    await db.updateTable("subscriptions").set({ is_test: 1 }).where("id", "=", test).execute();
    await db.updateTable("subscriptions").set({ session_mode: "DryRun" }).where("id", "=", dryRun).execute();
  });
  afterAll(async () => env?.server.stop());

  const list = async (query: string) => {
    const response = await env.contoso("GET", `/usageEvents?${query}`);
    return response;
  };
  const rows = async (query: string) => {
    const response = await list(query);
    expect(response.status, response.text).toBe(200);
    return response.json as Aggregate[];
  };

  it("sums each UTC day exactly, per resource, dimension and plan", async () => {
    const response = await list("usageStartDate=2026-05-01");
    expect(response.status).toBe(200);
    const all = response.json as Aggregate[];
    const mine = all.filter((row) => row.usageResourceId === first);
    expect(
      mine.map((row) => [row.usageDate, row.dimension, row.submittedQuantity, row.submittedCount]),
    ).toEqual([
      ["2026-05-01T00:00:00.000Z", "api-calls", 3.75, 2],
      ["2026-05-02T00:00:00.000Z", "api-calls", 0.3, 2],
      ["2026-05-02T00:00:00.000Z", "storage-gb", 5, 1],
    ]);
    expect(all.find((row) => row.usageResourceId === second)?.submittedQuantity).toBe(1000000.000001);
    expect(mine[0]).toMatchObject({
      planId: "basic",
      offerId: "analytics",
      offerType: "SaaS",
      azureSubscriptionId: azureSubscriptionIdOf(first),
    });
  });

  it("says Submitted for the running day (names empty) and Accepted once the day is over", async () => {
    const mine = (await rows("usageStartDate=2026-05-01T08:00:00Z")).filter(
      (row) => row.usageResourceId === first,
    );
    expect(mine[0]).toMatchObject({
      reconStatus: "Accepted",
      processedQuantity: 3.75,
      planName: "basic plan",
      offerName: "analytics",
    });
    expect(mine[1]).toMatchObject({
      reconStatus: "Submitted",
      processedQuantity: 0,
      planName: "",
      offerName: "",
    });
    const normal = (await rows("usageStartDate=2026-05-01")).filter(
      (row) => row.usageResourceId !== test && row.usageResourceId !== dryRun,
    );
    assertMatchesOfficialSchema("MeteringOperations_GetUsageEvent", 200, normal);
  });

  it("labels test purchases TestHeaders and DryRun sessions DryRun", async () => {
    const all = await rows("usageStartDate=2026-05-01");
    expect(all.find((row) => row.usageResourceId === test)).toMatchObject({
      reconStatus: "TestHeaders",
      processedQuantity: 0,
    });
    expect(all.find((row) => row.usageResourceId === dryRun)).toMatchObject({
      reconStatus: "DryRun",
      processedQuantity: 0,
    });
  });

  it.each([
    ["dimension=storage-gb", (row: Aggregate) => row.dimension === "storage-gb", 1],
    ["reconStatus=Accepted", (row: Aggregate) => row.reconStatus === "Accepted", 1],
    ["reconStatus=Submitted", (row: Aggregate) => row.reconStatus === "Submitted", 3],
    ["reconStatus=TestHeaders", (row: Aggregate) => row.reconStatus === "TestHeaders", 1],
    ["reconStatus=Rejected", () => false, 0],
    ["planId=basic&offerId=analytics", () => true, 6],
    ["planId=pro", () => false, 0],
    ["offerId=seats", () => false, 0],
    ["UsageEndDate=2026-05-01", (row: Aggregate) => row.usageDate.startsWith("2026-05-01"), 1],
    ["usageEndDate=2026-05-01T23:59:59Z", (row: Aggregate) => row.usageDate.startsWith("2026-05-01"), 1],
  ])("filters by %s", async (filter, predicate, count) => {
    const filtered = await rows(`usageStartDate=2026-05-01&${filter}`);
    expect(filtered).toHaveLength(count);
    expect(filtered.every(predicate)).toBe(true);
  });

  it("filters by the azureSubscriptionId of a purchase", async () => {
    const filtered = await rows(
      `usageStartDate=2026-05-01&azureSubscriptionId=${azureSubscriptionIdOf(second)}`,
    );
    expect(filtered.map((row) => row.usageResourceId)).toEqual([second]);
  });

  it("starts at the start date's day", async () => {
    const today = await rows("usageStartDate=2026-05-02");
    expect(today.every((row) => row.usageDate === "2026-05-02T00:00:00.000Z")).toBe(true);
    expect(await rows("usageStartDate=2026-05-03")).toEqual([]);
  });

  it.each([
    ["", "usageStartDate"],
    ["usageStartDate=yesterday", "usageStartDate"],
    ["usageStartDate=2026-13-01", "usageStartDate"],
    ["usageStartDate=2026-05-02&UsageEndDate=2026-05-01", "UsageEndDate"],
    ["usageStartDate=2026-05-01&azureSubscriptionId=abc", "azureSubscriptionId"],
    ["usageStartDate=2026-05-01&reconStatus=Done", "reconStatus"],
  ])("answers 400 to %s", async (query, target) => {
    const response = await list(query);
    expect(response.status, response.text).toBe(400);
    expect(response.json).toMatchObject({ code: "BadArgument", target });
  });

  it("shows a publisher only its own usage", async () => {
    const response = await env.fabrikam("GET", "/usageEvents?usageStartDate=2026-05-01");
    expect(response.status).toBe(200);
    expect(response.json).toEqual([]);
  });
});
