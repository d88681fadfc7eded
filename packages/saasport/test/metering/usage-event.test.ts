import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { assertMatchesOfficialSchema } from "../support/openapi.js";
import {
  businessNow,
  buy,
  hourMs,
  type MeteringServer,
  startMeteringServer,
  usageEvent,
} from "./metering-support.js";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(databaseKinds)("POST /api/usageEvent on %s", (kind) => {
  let env: MeteringServer;
  beforeAll(async () => {
    env = await startMeteringServer(kind);
  });
  afterAll(async () => env?.server.stop());

  const post = (body: unknown) => env.contoso("POST", "/usageEvent", { body });

  it("accepts an event and answers the official UsageEventOkResponse", async () => {
    const id = await buy(env, { name: "Ada's analytics" });
    const sent = usageEvent(id, 2, { quantity: 20.5, effectiveStartTime: "2026-05-02T10:15:00Z" });
    const response = await post(sent);
    expect(response.status, response.text).toBe(200);
    assertMatchesOfficialSchema("MeteringOperations_PostUsageEvent", 200, response.json);
    expect(response.json).toMatchObject({
      status: "Accepted",
      resourceId: id,
      quantity: 20.5,
      dimension: "api-calls",
      effectiveStartTime: "2026-05-02T10:15:00Z",
      planId: "basic",
      messageTime: businessNow.toISOString(),
    });
    expect(response.json.usageEventId).toMatch(guid);
    expect(response.json.resourceUri).toMatch(
      /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/saasport-marketplace\/providers\/Microsoft\.SaaS\/resources\/Ada's%20analytics$/,
    );
    expect(response.headers.get("x-ms-requestid")).toMatch(guid);
    expect(response.headers.get("x-ms-correlationid")).toBe(response.headers.get("x-ms-requestid"));
  });

  it("keeps one event per resource, dimension and calendar hour; the next one is a 409 echoing it", async () => {
    const id = await buy(env);
    const first = await post(usageEvent(id, 0, { effectiveStartTime: "2026-05-02T10:59:59Z" }));
    const nextHour = await post(usageEvent(id, 0, { effectiveStartTime: "2026-05-02T11:00:00Z" }));
    const otherDimension = await post(
      usageEvent(id, 0, { effectiveStartTime: "2026-05-02T10:30:00Z", dimension: "storage-gb" }),
    );
    expect([first.status, nextHour.status, otherDimension.status]).toEqual([200, 200, 200]);
    const again = await post(
      usageEvent(id, 0, { effectiveStartTime: "2026-05-02T10:00:00.000Z", quantity: 7 }),
    );
    expect(again.status, again.text).toBe(409);
    assertMatchesOfficialSchema("MeteringOperations_PostUsageEvent", 409, again.json);
    expect(again.json).toEqual({
      additionalInfo: { acceptedMessage: { ...first.json, status: "Duplicate" } },
      message: "This usage event already exist.",
      code: "Conflict",
    });
  });

  it("accepts exactly 24 hours ago and refuses 24 hours and 1 ms ago or any time ahead", async () => {
    const id = await buy(env);
    const now = businessNow.getTime();
    const edge = await post(
      usageEvent(id, 0, { effectiveStartTime: new Date(now - 24 * hourMs).toISOString() }),
    );
    expect(edge.status, edge.text).toBe(200);
    const late = await post(
      usageEvent(id, 0, {
        effectiveStartTime: new Date(now - 24 * hourMs - 1).toISOString(),
        dimension: "storage-gb",
      }),
    );
    const ahead = await post(usageEvent(id, 0, { effectiveStartTime: new Date(now + 1).toISOString() }));
    for (const refused of [late, ahead]) {
      expect(refused.status, refused.text).toBe(400);
      assertMatchesOfficialSchema("MeteringOperations_PostUsageEvent", 400, refused.json);
      expect(refused.json).toMatchObject({
        code: "BadArgument",
        target: "usageEventRequest",
        details: [{ code: "BadArgument", target: "effectiveStartTime" }],
      });
    }
    const rightNow = await post(usageEvent(id, 0, { effectiveStartTime: businessNow.toISOString() }));
    expect(rightNow.status, rightNow.text).toBe(200);
  });

  it.each([
    ["zero quantity", { quantity: 0 }, "InvalidQuantity", "quantity"],
    ["negative quantity", { quantity: -1 }, "InvalidQuantity", "quantity"],
    ["quantity as text", { quantity: "5" }, "InvalidQuantity", "quantity"],
    ["no quantity", { quantity: undefined }, "BadArgument", "quantity"],
    ["unknown dimension", { dimension: "gpu-hours" }, "InvalidDimension", "dimension"],
    ["another plan", { planId: "pro" }, "BadArgument", "planId"],
    ["no plan", { planId: undefined }, "BadArgument", "planId"],
    ["no dimension", { dimension: undefined }, "BadArgument", "dimension"],
    ["a date only", { effectiveStartTime: "2026-05-02" }, "BadArgument", "effectiveStartTime"],
    [
      "an impossible date",
      { effectiveStartTime: "2026-02-30T10:00:00Z" },
      "BadArgument",
      "effectiveStartTime",
    ],
    ["no identifier", { resourceId: undefined }, "BadArgument", "resourceId"],
    ["a malformed resourceId", { resourceId: "not-a-guid" }, "BadArgument", "resourceId"],
    [
      "an unknown subscription",
      { resourceId: "4aea5574-281c-7b2f-de26-e0f8369bc2d2" },
      "ResourceNotFound",
      "resourceId",
    ],
    [
      "an unknown resourceUri",
      { resourceId: undefined, resourceUri: "/subscriptions/x/resourceGroups/y" },
      "ResourceNotFound",
      "resourceUri",
    ],
  ])("refuses %s with a 400 naming the field", async (_label, overrides, code, target) => {
    const id = await buy(env);
    const response = await post(usageEvent(id, 1, overrides));
    expect(response.status, response.text).toBe(400);
    assertMatchesOfficialSchema("MeteringOperations_PostUsageEvent", 400, response.json);
    expect(response.json.code).toBe("BadArgument");
    expect(response.json.details[0]).toMatchObject({ code, target });
  });

  it("takes resourceUri instead of resourceId, but never both", async () => {
    const id = await buy(env, { name: "By uri" });
    const accepted = await post(usageEvent(id, 3));
    expect(accepted.status).toBe(200);
    const { resourceUri } = accepted.json;
    const byUri = await post(usageEvent(id, 4, { resourceId: undefined, resourceUri }));
    expect(byUri.status, byUri.text).toBe(200);
    expect(byUri.json).toMatchObject({ resourceId: id, resourceUri });
    const duplicateByUri = await post(usageEvent(id, 3, { resourceId: undefined, resourceUri }));
    expect(duplicateByUri.status).toBe(409);
    const both = await post(usageEvent(id, 5, { resourceUri }));
    expect(both.status).toBe(400);
    expect(both.json.details[0].target).toBe("resourceId");
    // A resource URI naming the subscription's Azure id but another resource name is not this purchase.
    const wrongName = await post(
      usageEvent(id, 6, { resourceId: undefined, resourceUri: resourceUri.replace(/By%20uri$/, "Other") }),
    );
    expect(wrongName.status).toBe(400);
    expect(wrongName.json.details[0].code).toBe("ResourceNotFound");
  });

  it("refuses usage of a per-user plan (no meters) and of a subscription that is not active", async () => {
    const seats = await buy(env, { offerId: "seats", planId: "team", quantity: 2 });
    const perUser = await post(usageEvent(seats, 1, { planId: "team" }));
    expect(perUser.status).toBe(400);
    expect(perUser.json.details[0].code).toBe("InvalidDimension");
    const pending = await buy(env, { activate: false });
    const notActive = await post(usageEvent(pending, 1));
    expect(notActive.status).toBe(400);
    expect(notActive.json.details[0]).toMatchObject({ code: "ResourceNotActive", target: "resourceId" });
  });

  it("answers 403 for another publisher's subscription, with the live body", async () => {
    const theirs = await buy(env, { offerId: "backup", planId: "standard" });
    const response = await post(usageEvent(theirs, 1, { planId: "standard" }));
    expect(response.status).toBe(403);
    expect(response.json).toEqual({
      message: "Client is not authorized for this usage resource.",
      code: "Forbidden",
    });
    const own = await env.fabrikam("POST", "/usageEvent", {
      body: usageEvent(theirs, 1, { planId: "standard" }),
    });
    expect(own.status, own.text).toBe(200);
  });

  it("accepts usage dated before a cancellation, within the 24 hours, and nothing after it", async () => {
    const id = await buy(env);
    const cancel = await env.contoso("DELETE", `/saas/subscriptions/${id}`);
    expect(cancel.status, cancel.text).toBe(202);
    await env.server.handle.runBackgroundWork();
    const state = await env.contoso("GET", `/saas/subscriptions/${id}`);
    expect(state.json.saasSubscriptionStatus).toBe("Unsubscribed");
    env.clock.advance(60_000);
    const before = await post(
      usageEvent(id, 0, { effectiveStartTime: new Date(businessNow.getTime() - 1).toISOString() }),
    );
    expect(before.status, before.text).toBe(200);
    const after = await post(
      usageEvent(id, 0, {
        effectiveStartTime: new Date(businessNow.getTime() + 30_000).toISOString(),
        dimension: "storage-gb",
      }),
    );
    expect(after.status).toBe(400);
    expect(after.json.details[0].code).toBe("ResourceNotActive");
    env.clock.advance(-60_000);
  });

  it("measures the 24 hours on the subscription's own test clock", async () => {
    const created = await env.server.fetch("/operator/v1/clocks", {
      method: "POST",
      headers: { authorization: `Bearer ${env.server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "metering-ahead" }),
    });
    expect(created.status).toBe(201);
    const id = await buy(env, { testClock: "metering-ahead" });
    const advanced = await env.server.fetch("/operator/v1/clock/advance", {
      method: "POST",
      headers: { authorization: `Bearer ${env.server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({ testClock: "metering-ahead", duration: "P2D" }),
    });
    expect(advanced.status, await advanced.text()).toBe(200);
    const globalHourAgo = await post(usageEvent(id, 1));
    expect(globalHourAgo.status).toBe(400);
    expect(globalHourAgo.json.details[0].target).toBe("effectiveStartTime");
    const clockHourAgo = await post(usageEvent(id, 1 - 48));
    expect(clockHourAgo.status, clockHourAgo.text).toBe(200);
    expect(clockHourAgo.json.messageTime).toBe(new Date(businessNow.getTime() + 48 * hourMs).toISOString());
  });

  it("accepts one of many concurrent events for the same hour; the others echo it", async () => {
    const id = await buy(env);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) => post(usageEvent(id, 7, { quantity: index + 1 }))),
    );
    const accepted = answers.filter((answer) => answer.status === 200);
    expect(accepted).toHaveLength(1);
    const winner = accepted[0]?.json.usageEventId;
    for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
      expect(answer.status).toBe(409);
      expect(answer.json.additionalInfo.acceptedMessage.usageEventId).toBe(winner);
    }
  });

  it("requires api-version and a bearer token like the Fulfillment API", async () => {
    const noVersion = await env.server.fetch("/api/usageEvent", { method: "POST", body: "{}" });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ Error: { Code: "ApiVersionUnspecified" } });
    const noToken = await env.server.fetch("/api/usageEvent?api-version=2018-08-31", {
      method: "POST",
      body: "{}",
    });
    expect([401, 403]).toContain(noToken.status);
    expect(noToken.headers.get("x-ms-requestid")).toMatch(guid);
  });
});
