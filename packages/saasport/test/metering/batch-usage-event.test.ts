import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { assertMatchesOfficialSchema } from "../support/openapi.js";
import { buy, type MeteringServer, startMeteringServer, usageEvent } from "./metering-support.js";

describe.each(databaseKinds)("POST /api/batchUsageEvent on %s", (kind) => {
  let env: MeteringServer;
  beforeAll(async () => {
    env = await startMeteringServer(kind);
  });
  afterAll(async () => env?.server.stop());

  const batch = (body: unknown) => env.contoso("POST", "/batchUsageEvent", { body });

  it("answers one entry per event, mixing Accepted, Duplicate, Expired and invalid items", async () => {
    const id = await buy(env);
    const other = await buy(env);
    const pending = await buy(env, { activate: false });
    const theirs = await buy(env, { offerId: "backup", planId: "standard" });
    const stored = await env.contoso("POST", "/usageEvent", { body: usageEvent(other, 5) });
    expect(stored.status).toBe(200);

    const request = [
      usageEvent(id, 1, { quantity: 0.25 }), // Accepted
      usageEvent(id, 1, { quantity: 9 }), // Duplicate of the first, in the same batch
      usageEvent(other, 5), // Duplicate of the stored one
      usageEvent(id, 25), // Expired
      usageEvent(id, -1), // in the future
      usageEvent(id, 2, { quantity: -3 }), // InvalidQuantity
      usageEvent(id, 2, { dimension: "gpu-hours" }), // InvalidDimension
      usageEvent(id, 2, { planId: "pro" }), // BadArgument
      usageEvent(id, 2, { resourceUri: "/subscriptions/x" }), // both identifiers
      usageEvent("4aea5574-281c-7b2f-de26-e0f8369bc2d2", 2), // ResourceNotFound
      usageEvent(theirs, 2, { planId: "standard" }), // ResourceNotAuthorized
      usageEvent(pending, 2), // ResourceNotActive
      "not an event",
      usageEvent(id, 2, { dimension: "storage-gb" }), // Accepted
    ];
    const response = await batch({ request });
    expect(response.status, response.text).toBe(200);
    assertMatchesOfficialSchema("MeteringOperations_PostBatchUsageEvent", 200, response.json);
    expect(response.json.count).toBe(request.length);
    const results = response.json.result as Array<Record<string, unknown>>;
    expect(results.map((entry) => entry.status)).toEqual([
      "Accepted",
      "Duplicate",
      "Duplicate",
      "Expired",
      "BadArgument",
      "InvalidQuantity",
      "InvalidDimension",
      "BadArgument",
      "BadArgument",
      "ResourceNotFound",
      "ResourceNotAuthorized",
      "ResourceNotActive",
      "BadArgument",
      "Accepted",
    ]);
    const [first, inBatch, againstStored] = results as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(first).toMatchObject({ resourceId: id, quantity: 0.25, planId: "basic" });
    expect(first.resourceUri).toMatch(/^\/subscriptions\//);
    expect(inBatch.usageEventId).toBeUndefined();
    expect(inBatch.resourceUri).toBeUndefined();
    expect(inBatch).toMatchObject({
      resourceId: id,
      quantity: 9,
      error: {
        code: "Conflict",
        message: "This usage event already exist.",
        additionalInfo: { acceptedMessage: { ...first, status: "Duplicate" } },
      },
    });
    expect(againstStored).toMatchObject({
      error: { additionalInfo: { acceptedMessage: { ...stored.json, status: "Duplicate" } } },
    });
    for (const failed of results.filter((entry) => entry.status !== "Accepted")) {
      expect(failed.usageEventId).toBeUndefined();
      expect(failed.error).toBeDefined();
    }
    expect(results[3]?.error).toMatchObject({ code: "Expired", target: "effectiveStartTime" });
    expect(results[10]?.error).toMatchObject({
      message: "Client is not authorized for this usage resource.",
    });
  });

  it("echoes only the identifier that was sent", async () => {
    const id = await buy(env, { name: "Echo" });
    const accepted = await batch({ request: [usageEvent(id, 3)] });
    const resourceUri = accepted.json.result[0].resourceUri as string;
    const response = await batch({ request: [usageEvent(id, 3, { resourceId: undefined, resourceUri })] });
    const [entry] = response.json.result;
    expect(entry.status).toBe("Duplicate");
    expect(entry.resourceUri).toBe(resourceUri);
    expect(entry.resourceId).toBeUndefined();
  });

  it("takes 25 events and refuses 26, an empty batch and a bare array with a clear 400", async () => {
    const id = await buy(env);
    const full = Array.from({ length: 25 }, (_, index) =>
      usageEvent(id, index % 23, { dimension: index < 23 ? "api-calls" : "storage-gb" }),
    );
    const ok = await batch({ request: full });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.count).toBe(25);
    const statuses = (ok.json.result as Array<{ status: string }>).map((entry) => entry.status);
    expect(statuses.filter((status) => status === "Accepted")).toHaveLength(25);

    const tooMany = await batch({ request: [...full, usageEvent(id, 1)] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.message).toMatch(/at most 25/);
    const empty = await batch({ request: [] });
    expect(empty.status).toBe(400);
    const bare = await batch([usageEvent(id, 1)]);
    expect(bare.status).toBe(400);
    expect(bare.json.message).toMatch(/"request"/);
    const notJson = await batch("{");
    expect(notJson.status).toBe(400);
    const noRequest = await batch({ events: [] });
    expect(noRequest.status).toBe(400);
  });
});
