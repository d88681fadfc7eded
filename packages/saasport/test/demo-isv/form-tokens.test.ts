import { describe, expect, it } from "vitest";
import { bindings, createFormTokens } from "../../src/demo-isv/form-tokens.js";

describe("form tokens", () => {
  const hour = 3600_000;
  const issuedAt = new Date("2026-05-02T10:00:00.000Z");
  const later = (ms: number) => new Date(issuedAt.getTime() + ms);
  const tokens = createFormTokens(hour);
  const binding = bindings.activate("contoso", "3b1b0000-0000-4000-8000-000000000001");
  const token = tokens.issue(binding, issuedAt);

  it("accepts a token for what it was issued for, within its lifetime", () => {
    expect(tokens.check(token, binding, issuedAt)).toBe(true);
    expect(tokens.check(token, binding, later(hour))).toBe(true);
  });

  it("issues a different token for every page", () => {
    expect(tokens.issue(binding, issuedAt)).not.toBe(token);
  });

  it.each([
    ["another subscription", token, bindings.activate("contoso", "3b1b0000-0000-4000-8000-000000000002"), 0],
    ["another publisher", token, bindings.activate("adatum", "3b1b0000-0000-4000-8000-000000000001"), 0],
    ["another purpose", token, bindings.view("contoso", "3b1b0000-0000-4000-8000-000000000001"), 0],
    ["an expired token", token, binding, hour + 1],
    ["a token from the future", token, binding, -1],
    ["a changed mac", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, binding, 0],
    ["a changed issue time", token.replace(/^\d+/, String(issuedAt.getTime() + 1)), binding, 0],
    ["an extra part", `${token}.x`, binding, 0],
    ["nothing", undefined, binding, 0],
    ["a number", 42, binding, 0],
    ["an empty string", "", binding, 0],
  ])("refuses %s", (_name, candidate, checkedBinding, atMs) => {
    expect(tokens.check(candidate, checkedBinding, later(atMs))).toBe(false);
  });

  it("refuses tokens signed with another key (another process)", () => {
    expect(createFormTokens(hour).check(token, binding, issuedAt)).toBe(false);
  });
});
