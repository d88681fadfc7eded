import { describe, expect, it } from "vitest";
import { type FaultRequest, specOf } from "../../src/faults/spec.js";
import { ApiError } from "../../src/http/errors.js";

describe("fault requests", () => {
  it.each<[FaultRequest, object]>([
    [
      { target: "webhook", kind: "status", status: 503, count: 2 },
      { kind: "status", status: 503, probability: 1, count: 2 },
    ],
    [
      { target: "webhook", kind: "status", status: 400 },
      { kind: "status", status: 400, probability: 1, count: null },
    ],
    [
      { target: "webhook", kind: "timeout", probability: 0.5 },
      { kind: "timeout", probability: 0.5, count: null },
    ],
    [
      { target: "webhook", kind: "delay", delayMs: 30_000 },
      { kind: "delay", delayMs: 30_000, probability: 1, count: null },
    ],
    [
      { target: "webhook", kind: "duplicate", count: 1 },
      { kind: "duplicate", probability: 1, count: 1 },
    ],
    [
      { target: "webhook", kind: "outOfOrder", holdMs: 5000 },
      { kind: "outOfOrder", holdMs: 5000, probability: 1, count: null },
    ],
    [
      { target: "api", kind: "status", status: 503, probability: 0.3, seed: 42 },
      { kind: "status", status: 503, probability: 0.3, count: null },
    ],
    [
      { target: "api", kind: "status", status: 429 },
      { kind: "status", status: 429, probability: 1, count: null },
    ],
    [
      { target: "api", kind: "latency", delayMs: 250, probability: 0 },
      { kind: "latency", delayMs: 250, probability: 0, count: null },
    ],
  ])("accepts %j", (request, spec) => {
    expect(specOf(request)).toEqual(spec);
  });

  it.each<[FaultRequest, string, string]>([
    [{ target: "api", kind: "timeout" }, "kind", "An /api fault cannot be 'timeout'"],
    [{ target: "api", kind: "delay", delayMs: 10 }, "kind", "for /api use 'latency'"],
    [{ target: "webhook", kind: "latency", delayMs: 10 }, "kind", "for webhooks use 'delay'"],
    [{ target: "webhook", kind: "status" }, "status", "needs status"],
    [{ target: "webhook", kind: "delay" }, "delayMs", "needs delayMs"],
    [{ target: "webhook", kind: "outOfOrder" }, "holdMs", "needs holdMs"],
    [{ target: "api", kind: "latency" }, "delayMs", "needs delayMs"],
    [{ target: "webhook", kind: "timeout", status: 503 }, "status", "does not apply"],
    [{ target: "webhook", kind: "duplicate", holdMs: 5 }, "holdMs", "does not apply"],
    [{ target: "webhook", kind: "status", status: 503, delayMs: 5 }, "delayMs", "does not apply"],
    [{ target: "webhook", kind: "status", status: 200 }, "status", "400 to 599"],
    [{ target: "webhook", kind: "status", status: 600 }, "status", "400 to 599"],
    [{ target: "api", kind: "status", status: 404 }, "status", "429 or from 500 to 599"],
    [{ target: "api", kind: "status", status: 503.5 }, "status", "429 or from 500 to 599"],
    [{ target: "api", kind: "latency", delayMs: 120_001 }, "delayMs", "1 to 120000"],
    [{ target: "webhook", kind: "delay", delayMs: 0 }, "delayMs", "1 to 3600000"],
    [{ target: "webhook", kind: "outOfOrder", holdMs: 3_600_001 }, "holdMs", "1 to 3600000"],
    [{ target: "webhook", kind: "timeout", probability: 1.5 }, "probability", "from 0 to 1"],
    [{ target: "webhook", kind: "timeout", probability: Number.NaN }, "probability", "from 0 to 1"],
    [{ target: "webhook", kind: "timeout", count: 0 }, "count", "at least 1"],
    [{ target: "webhook", kind: "timeout", count: 2.5 }, "count", "at least 1"],
    [{ target: "webhook", kind: "timeout", seed: -1 }, "seed", "0 to 2147483647"],
    [{ target: "webhook", kind: "timeout", seed: 2 ** 31 }, "seed", "0 to 2147483647"],
  ])("refuses %j (%s)", (request, target, message) => {
    let thrown: unknown;
    try {
      specOf(request);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const apiError = thrown as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.target).toBe(target);
    expect(apiError.message).toContain(message);
  });
});
