import { describe, expect, it } from "vitest";
import { timeOrderedId } from "../../src/db/time-ordered-id.js";

describe("time-ordered ids", () => {
  it("are version 7 GUIDs that start with the time and sort by it", () => {
    const earlier = timeOrderedId(Date.UTC(2026, 0, 1));
    const later = timeOrderedId(Date.UTC(2026, 0, 1) + 1);
    for (const id of [earlier, later]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(earlier.slice(0, 13)).toBe("019b76da-a800");
    expect(earlier < later).toBe(true);
  });

  it("are unique within one millisecond", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
