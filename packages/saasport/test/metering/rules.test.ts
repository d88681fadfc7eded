import { describe, expect, it } from "vitest";
import { checkWindow, hourBucketOf, parseEffectiveStartTime } from "../../src/metering/effective-time.js";
import { microsToDecimal, readQuantity } from "../../src/metering/quantity.js";
import { reconStatusOf } from "../../src/metering/recon-status.js";
import {
  azureSubscriptionIdOf,
  resourceUriOf,
  sameResourceUri,
  subscriptionIdOfResourceUri,
} from "../../src/metering/resource-uri.js";
import { readUsageEvent } from "../../src/metering/usage-event-input.js";
import { readUsageQuery } from "../../src/metering/usage-query.js";
import { decideUsage, type MeteredSubscription, type UsageFacts } from "../../src/metering/usage-rules.js";

const id = "4aea5574-281c-7b2f-de26-e0f8369bc2d2";
const now = new Date("2026-05-02T12:30:00.000Z");

describe("readQuantity", () => {
  it.each([
    [1, "1", 1_000_000n],
    [20.5, "20.5", 20_500_000n],
    [0.1, "0.1", 100_000n],
    [0.000001, "0.000001", 1n],
    [1.0000005, "1.000001", 1_000_001n],
    [5e-7, "0.000001", 1n],
    [1e10, "10000000000", 10_000_000_000_000_000n],
  ])("keeps %s as %s", (raw, decimal, micros) => {
    expect(readQuantity(raw)).toMatchObject({ ok: true, decimal, micros });
  });
  it.each([
    [0],
    [-1],
    [4e-7],
    [1e10 + 1],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ["5"],
    [null],
    [undefined],
    [true],
  ])("refuses %s", (raw) => {
    expect(readQuantity(raw).ok).toBe(false);
  });
  it.each([
    [0n, "0"],
    [1n, "0.000001"],
    [3_750_000n, "3.75"],
    [-2_500_000n, "-2.5"],
  ])("writes %s millionths as %s", (micros, text) => {
    expect(microsToDecimal(micros)).toBe(text);
  });
});

describe("effectiveStartTime", () => {
  it.each([
    ["2026-05-02T10:59:59Z", "2026-05-02T10:59:59.000Z"],
    ["2026-05-02T10:59:59.9999999Z", "2026-05-02T10:59:59.999Z"],
    ["2026-05-02T10:00", "2026-05-02T10:00:00.000Z"],
    ["2026-05-02T12:00:00+02:00", "2026-05-02T10:00:00.000Z"],
    ["2026-05-02T05:00:00-0500", "2026-05-02T10:00:00.000Z"],
    ["2026-05-02 10:00:00", "2026-05-02T10:00:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
  ])("reads %s", (text, instant) => {
    expect(parseEffectiveStartTime(text)?.toISOString()).toBe(instant);
  });
  it.each([
    "2026-05-02",
    "2026-02-30T10:00:00Z",
    "2026-13-01T10:00:00Z",
    "2026-05-02T24:00:00Z",
    "2026-05-02T10:60:00Z",
    "yesterday",
    "2026-05-02T10:00:00+15:00",
    "",
  ])("refuses %s", (text) => {
    expect(parseEffectiveStartTime(text)).toBeUndefined();
  });
  it("refuses values that are not text", () => {
    expect(parseEffectiveStartTime(1714644000000)).toBeUndefined();
  });
  it.each([
    ["2026-05-02T10:59:59.999Z", "2026-05-02T10:00:00.000Z"],
    ["2026-05-02T11:00:00.000Z", "2026-05-02T11:00:00.000Z"],
    ["2026-05-02T00:00:00.000Z", "2026-05-02T00:00:00.000Z"],
  ])("puts %s in the hour of %s", (instant, hour) => {
    expect(hourBucketOf(new Date(instant)).toISOString()).toBe(hour);
  });
  it.each([
    [now.getTime() - 86_400_000, "inside"],
    [now.getTime() - 86_400_001, "expired"],
    [now.getTime(), "inside"],
    [now.getTime() + 1, "future"],
  ])("at %s is %s", (at, expected) => {
    expect(checkWindow(new Date(at), now)).toBe(expected);
  });
});

describe("resource URIs", () => {
  it("derives a stable Azure subscription id that leads back to the subscription", () => {
    const azure = azureSubscriptionIdOf(id);
    expect(azure).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(azure).not.toBe(id);
    expect(azureSubscriptionIdOf(azure)).toBe(id);
    expect(azureSubscriptionIdOf(id.toUpperCase())).toBe(azure);
  });
  it("builds the ARM-like URI of the purchase and reads it back", () => {
    const uri = resourceUriOf({ id, name: "Ada's team" });
    expect(uri).toBe(
      `/subscriptions/${azureSubscriptionIdOf(id)}/resourceGroups/saasport-marketplace/providers/Microsoft.SaaS/resources/Ada's%20team`,
    );
    expect(subscriptionIdOfResourceUri(uri)).toBe(id);
    expect(subscriptionIdOfResourceUri(uri.toUpperCase())).toBe(id);
    expect(sameResourceUri(uri, uri.replace("%20", " "))).toBe(true);
  });
  it.each([
    "/subscriptions/abc/resourceGroups/rg/providers/Microsoft.SaaS/resources/x",
    "/subscriptions/4aea5574-281c-7b2f-de26-e0f8369bc2d2/resourceGroups/rg/providers/Microsoft.Solutions/applications/x",
    "subscriptions/4aea5574-281c-7b2f-de26-e0f8369bc2d2",
  ])("finds no purchase behind %s", (uri) => {
    expect(subscriptionIdOfResourceUri(uri)).toBeUndefined();
  });
});

const valid = {
  resourceId: id,
  quantity: 2,
  dimension: "api-calls",
  effectiveStartTime: "2026-05-02T10:00:00Z",
  planId: "basic",
};

describe("readUsageEvent", () => {
  it("reads a well-formed event", () => {
    const read = readUsageEvent(valid);
    expect(read).toMatchObject({
      ok: true,
      event: { subscriptionId: id, quantityDecimal: "2", planId: "basic" },
    });
  });
  it.each([
    [{ resourceId: undefined }, "BadArgument", "resourceId"],
    [{ resourceUri: "/subscriptions/x" }, "BadArgument", "resourceId"],
    [{ resourceId: 42 }, "BadArgument", "resourceId"],
    [{ resourceId: undefined, resourceUri: "" }, "BadArgument", "resourceUri"],
    [{ quantity: 0 }, "InvalidQuantity", "quantity"],
    [{ quantity: undefined }, "BadArgument", "quantity"],
    [{ dimension: "" }, "BadArgument", "dimension"],
    [{ dimension: ["a"] }, "BadArgument", "dimension"],
    [{ effectiveStartTime: "soon" }, "BadArgument", "effectiveStartTime"],
    [{ planId: 7 }, "BadArgument", "planId"],
  ])("refuses %o as %s on %s", (overrides, status, target) => {
    const read = readUsageEvent({ ...valid, ...overrides });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems[0]).toMatchObject({ status, target });
  });
  it.each([[null], [[valid]], ["text"], [3]])("refuses %o, which is no object", (raw) => {
    expect(readUsageEvent(raw)).toMatchObject({ ok: false, problems: [{ status: "BadArgument" }] });
  });
  it("keeps only well-typed fields to echo, and only the identifier sent", () => {
    const read = readUsageEvent({ resourceUri: "/x", quantity: "2", dimension: "d", planId: 1 });
    expect(read.sent).toEqual({ resourceUri: "/x", dimension: "d" });
  });
});

const subscription: MeteredSubscription = {
  id,
  name: "n",
  publisher_id: "contoso",
  plan_id: "basic",
  status: "Subscribed",
  activated_at: "2026-05-01T00:00:00.000Z",
  unsubscribed_at: null,
};

function facts(
  overrides: Partial<UsageFacts> = {},
  subscriptionChanges: Partial<MeteredSubscription> = {},
): UsageFacts {
  const read = readUsageEvent(valid);
  if (!read.ok) throw new Error("fixture");
  return {
    event: read.event,
    subscription: { ...subscription, ...subscriptionChanges },
    callerPublisherId: "contoso",
    pricingModel: "flatRate",
    dimensions: [{ id: "api-calls" }],
    now,
    ...overrides,
  };
}

describe("decideUsage", () => {
  it("accepts a Subscribed flat-rate subscription's dimension within the window", () => {
    expect(decideUsage(facts())).toBeUndefined();
  });
  it.each<[string, Partial<UsageFacts>, Partial<MeteredSubscription>, string | undefined]>([
    ["no subscription", { subscription: undefined }, {}, "ResourceNotFound"],
    ["another publisher", { callerPublisherId: "fabrikam" }, {}, "ResourceNotAuthorized"],
    ["too old", { now: new Date("2026-05-03T10:00:00.001Z") }, {}, "Expired"],
    ["exactly 24 h", { now: new Date("2026-05-03T10:00:00.000Z") }, {}, undefined],
    ["ahead", { now: new Date("2026-05-02T09:59:59.999Z") }, {}, "BadArgument"],
    ["pending", {}, { status: "PendingFulfillmentStart", activated_at: null }, "ResourceNotActive"],
    ["suspended", {}, { status: "Suspended" }, "ResourceNotActive"],
    [
      "cancelled after the usage",
      {},
      { status: "Unsubscribed", unsubscribed_at: "2026-05-02T10:00:00.001Z" },
      undefined,
    ],
    [
      "cancelled at the usage",
      {},
      { status: "Unsubscribed", unsubscribed_at: "2026-05-02T10:00:00.000Z" },
      "ResourceNotActive",
    ],
    [
      "cancelled before activation",
      {},
      { status: "Unsubscribed", activated_at: null, unsubscribed_at: "2026-05-02T11:00:00.000Z" },
      "ResourceNotActive",
    ],
    ["another plan", {}, { plan_id: "pro" }, "BadArgument"],
    ["per-user offer", { pricingModel: "perUser" }, {}, "InvalidDimension"],
    ["unknown dimension", { dimensions: [{ id: "storage-gb" }] }, {}, "InvalidDimension"],
    ["no dimensions", { dimensions: undefined }, {}, "InvalidDimension"],
  ])("%s", (_label, overrides, subscriptionChanges, expected) => {
    expect(decideUsage(facts(overrides, subscriptionChanges))?.status).toBe(expected);
  });
  it("checks a resourceUri against the whole URI of the purchase", () => {
    const uri = resourceUriOf(subscription);
    const read = readUsageEvent({ ...valid, resourceId: undefined, resourceUri: uri.replace(/n$/, "other") });
    if (!read.ok) throw new Error("fixture");
    expect(decideUsage({ ...facts(), event: read.event })?.status).toBe("ResourceNotFound");
  });
});

describe("reconStatusOf", () => {
  const day = new Date("2026-05-01T00:00:00.000Z");
  it.each([
    [{ is_test: 0, session_mode: "None" as const }, "2026-05-01T23:59:59.999Z", "Submitted"],
    [{ is_test: 0, session_mode: "None" as const }, "2026-05-02T00:00:00.000Z", "Accepted"],
    [{ is_test: 1, session_mode: "None" as const }, "2026-05-09T00:00:00.000Z", "TestHeaders"],
    [{ is_test: 1, session_mode: "DryRun" as const }, "2026-05-09T00:00:00.000Z", "DryRun"],
  ])("%o at %s is %s", (subscriptionFlags, at, expected) => {
    expect(reconStatusOf(subscriptionFlags, day, new Date(at))).toBe(expected);
  });
});

describe("readUsageQuery", () => {
  it("reads days from dates and date-times, and the end from either spelling", () => {
    const read = readUsageQuery({ usageStartDate: "2026-05-01T22:00:00-04:00", usageEndDate: "2026-05-03" });
    expect(read).toMatchObject({ ok: true });
    if (!read.ok) return;
    expect(read.query.fromDay.toISOString()).toBe("2026-05-02T00:00:00.000Z");
    expect(read.query.untilDay?.toISOString()).toBe("2026-05-04T00:00:00.000Z");
    const capital = readUsageQuery({ usageStartDate: "2026-05-01", UsageEndDate: "2026-05-01T10:00" });
    expect(capital.ok && capital.query.untilDay?.toISOString()).toBe("2026-05-02T00:00:00.000Z");
  });
  it("has no end by default and maps azureSubscriptionId to the purchase", () => {
    const read = readUsageQuery({
      usageStartDate: "2026-05-01",
      azureSubscriptionId: azureSubscriptionIdOf(id),
    });
    expect(read.ok && read.query.untilDay).toBeUndefined();
    expect(read.ok && read.query.subscriptionId).toBe(id);
  });
  it.each([
    [{}, "usageStartDate"],
    [{ usageStartDate: "2026-00-10" }, "usageStartDate"],
    [{ usageStartDate: ["a", "b"] }, "usageStartDate"],
    [{ usageStartDate: "2026-05-01", UsageEndDate: "x" }, "UsageEndDate"],
    [{ usageStartDate: "2026-05-01", reconStatus: "accepted" }, "reconStatus"],
    [{ usageStartDate: "2026-05-01", dimension: { a: 1 } }, "dimension"],
  ])("refuses %o", (query, target) => {
    const read = readUsageQuery(query);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem.target).toBe(target);
  });
});
