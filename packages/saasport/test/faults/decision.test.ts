import { describe, expect, it } from "vitest";
import {
  appliesTo,
  fires,
  labelOf,
  oldestFirst,
  subscriptionOfApiCall,
  unitDraw,
  webhookFaultOf,
} from "../../src/faults/decision.js";
import type { FaultSpec } from "../../src/faults/spec.js";

describe("seeded draws", () => {
  // Pinned: documented recipes and saved seeds must keep producing the same sequences.
  it.each([
    [0, 1, 0.5733975800685585],
    [1, 1, 0.3140447095502168],
    [42, 1, 0.07237175037153065],
    [42, 2, 0.9809980646241456],
    [42, 3, 0.6428957756143063],
    [2147483647, 1000000, 0.13326397794298828],
  ])("seed %i, consultation %i draws %f", (seed, n, expected) => {
    expect(unitDraw(seed, n)).toBe(expected);
  });

  it.each([
    [42, 0.3, "x...x............x.."],
    [7, 0.5, "x.x....x.....x....x."],
    [43, 0.3, "....xx.x........xx.."],
    [9, 1, "xxxxxxxxxxxxxxxxxxxx"],
    [9, 0, "...................."],
  ])("seed %i with probability %f fires in the same pattern every time", (seed, probability, pattern) => {
    const run = () =>
      Array.from({ length: 20 }, (_, i) => (fires(seed, i + 1, probability) ? "x" : ".")).join("");
    expect(run()).toBe(pattern);
    expect(run()).toBe(pattern);
  });

  it.each([0.05, 0.3, 0.5, 0.9])("fires about %f of the time", (probability) => {
    let fired = 0;
    for (let n = 1; n <= 20_000; n++) if (fires(123, n, probability)) fired++;
    expect(Math.abs(fired / 20_000 - probability)).toBeLessThan(0.02);
  });

  it("draws stay in [0, 1) and do not follow the previous draw", () => {
    let product = 0;
    let square = 0;
    let previous = unitDraw(5, 1);
    for (let n = 2; n <= 20_000; n++) {
      const draw = unitDraw(5, n);
      expect(draw).toBeGreaterThanOrEqual(0);
      expect(draw).toBeLessThan(1);
      product += (previous - 0.5) * (draw - 0.5);
      square += (draw - 0.5) ** 2;
      previous = draw;
    }
    expect(Math.abs(product / square)).toBeLessThan(0.05);
  });
});

describe("scope", () => {
  const contosoSub = { publisherId: "contoso", subscriptionId: "sub-1" };
  it.each([
    ["unscoped", { publisherId: null, subscriptionId: null }, contosoSub, true],
    ["unscoped, call with unknown caller", { publisherId: null, subscriptionId: null }, {}, true],
    ["publisher, its subscription", { publisherId: "contoso", subscriptionId: null }, contosoSub, true],
    [
      "publisher, another publisher",
      { publisherId: "contoso", subscriptionId: null },
      { publisherId: "fabrikam", subscriptionId: "sub-9" },
      false,
    ],
    [
      "publisher, a call about no subscription",
      { publisherId: "contoso", subscriptionId: null },
      { publisherId: "contoso" },
      true,
    ],
    ["subscription, itself", { publisherId: "contoso", subscriptionId: "sub-1" }, contosoSub, true],
    [
      "subscription, a sibling",
      { publisherId: "contoso", subscriptionId: "sub-1" },
      { publisherId: "contoso", subscriptionId: "sub-2" },
      false,
    ],
    [
      "subscription, a call about no subscription",
      { publisherId: "contoso", subscriptionId: "sub-1" },
      { publisherId: "contoso" },
      false,
    ],
    ["subscription only, itself", { publisherId: null, subscriptionId: "sub-1" }, contosoSub, true],
  ] as const)("%s → %s", (_name, scope, subject, expected) => {
    expect(appliesTo(scope, subject)).toBe(expected);
  });
});

describe("which fault decides", () => {
  it("orders by creation time, then creation order, then id", () => {
    const faults = [
      { id: "c", createdAt: "2026-01-01T00:00:00.001Z", seq: 1 },
      { id: "b", createdAt: "2026-01-01T00:00:00.000Z", seq: 3 },
      { id: "a", createdAt: "2026-01-01T00:00:00.000Z", seq: 2 },
      { id: "z", createdAt: "2026-01-01T00:00:00.000Z", seq: 2 },
    ];
    expect(oldestFirst(faults).map((fault) => fault.id)).toEqual(["a", "z", "b", "c"]);
    expect(faults[0]?.id).toBe("c");
  });
});

describe("directives and labels", () => {
  const spec = (fields: Partial<FaultSpec> & Pick<FaultSpec, "kind">): FaultSpec => ({
    probability: 1,
    count: null,
    ...fields,
  });
  it.each([
    [spec({ kind: "status", status: 503 }), { kind: "status", status: 503 }, "status 503"],
    [spec({ kind: "timeout" }), { kind: "timeout" }, "timeout"],
    [spec({ kind: "delay", delayMs: 5000 }), { kind: "delay", ms: 5000 }, "delay 5000 ms"],
    [spec({ kind: "duplicate" }), { kind: "duplicate" }, "duplicate"],
    [
      spec({ kind: "outOfOrder", holdMs: 30000 }),
      { kind: "outOfOrder", holdMs: 30000 },
      "out of order, held 30000 ms",
    ],
  ])("%j → %j", (faultSpec, directive, effect) => {
    expect(webhookFaultOf(faultSpec)).toEqual(directive);
    expect(labelOf("3f2a1b2c-0000-4000-8000-000000000000", faultSpec)).toBe(`fault 3f2a1b2c: ${effect}`);
  });

  it("labels /api latency, which is no webhook directive", () => {
    const latency = spec({ kind: "latency", delayMs: 200 });
    expect(labelOf("abcdef0123", latency)).toBe("fault abcdef01: latency 200 ms");
    expect(() => webhookFaultOf(latency)).toThrow();
  });
});

describe("the subscription of an /api call", () => {
  it.each([
    ["path parameter", { subscriptionId: "s1" }, undefined, "s1"],
    ["usage event resourceId", {}, { resourceId: "s2", quantity: 1 }, "s2"],
    ["path wins over body", { subscriptionId: "s1" }, { resourceId: "s2" }, "s1"],
    ["list or resolve", {}, undefined, undefined],
    ["batch body", {}, [{ resourceId: "s3" }], undefined],
    ["non-string id", {}, { resourceId: 7 }, undefined],
    ["no params at all", undefined, "text", undefined],
  ])("%s", (_name, params, body, expected) => {
    expect(subscriptionOfApiCall(params, body)).toBe(expected);
  });
});
