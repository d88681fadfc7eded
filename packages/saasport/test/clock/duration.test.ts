import { describe, expect, it } from "vitest";
import { addDuration, parseDuration } from "../../src/clock/duration.js";

const from = "2024-01-31T10:30:00.000Z";

describe("clock durations", () => {
  it.each([
    ["P1D", "2024-02-01T10:30:00.000Z"],
    ["PT2H", "2024-01-31T12:30:00.000Z"],
    ["PT90M", "2024-01-31T12:00:00.000Z"],
    ["PT1.5S", "2024-01-31T10:30:01.500Z"],
    ["PT0,25S", "2024-01-31T10:30:00.250Z"],
    ["P1DT12H", "2024-02-01T22:30:00.000Z"],
    ["P2W", "2024-02-14T10:30:00.000Z"],
    // Calendar months clamp to the end of a shorter month (2024 is a leap year).
    ["P1M", "2024-02-29T10:30:00.000Z"],
    ["P2M", "2024-03-31T10:30:00.000Z"],
    ["P3M", "2024-04-30T10:30:00.000Z"],
    ["P1Y", "2025-01-31T10:30:00.000Z"],
    ["P3Y", "2027-01-31T10:30:00.000Z"],
    ["P1Y1M", "2025-02-28T10:30:00.000Z"],
    ["P1M1D", "2024-03-01T10:30:00.000Z"],
    ["p1d", "2024-02-01T10:30:00.000Z"],
    ["P0D", from],
    ["86400000", "2024-02-01T10:30:00.000Z"],
    [3_600_000, "2024-01-31T11:30:00.000Z"],
    [0, from],
  ])("%s from %s", (input, expected) => {
    const parsed = parseDuration(input);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(addDuration(new Date(from), parsed.duration).toISOString()).toBe(expected);
  });

  it("adds a year to Feb 29 as Feb 28", () => {
    const parsed = parseDuration("P1Y");
    if (!parsed.ok) throw new Error(parsed.message);
    expect(addDuration(new Date("2024-02-29T00:00:00Z"), parsed.duration).toISOString()).toBe(
      "2025-02-28T00:00:00.000Z",
    );
  });

  it.each([
    ["", "No duration"],
    ["P", "is not a duration"],
    ["PT", "is not a duration"],
    ["P1H", "is not a duration"],
    ["1D", "is not a duration"],
    ["P-1D", "is not a duration"],
    ["P1.5D", "is not a duration"],
    ["PT1H2D", "is not a duration"],
    ["P1D ", undefined],
    ["-5", "is not a duration"],
    [-5, "non-negative"],
    [1.5, "whole"],
    [Number.NaN, "whole"],
    ["P99999999D", "too large"],
    [null, "No duration"],
    [{ days: 1 }, "No duration"],
  ])("rejects %j", (input, message) => {
    const parsed = parseDuration(input);
    if (message === undefined) {
      expect(parsed.ok).toBe(true);
      return;
    }
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});
