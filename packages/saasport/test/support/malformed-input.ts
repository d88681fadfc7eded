import fc from "fast-check";
import { expect } from "vitest";

/** The content types a malformed request may claim (none at all included). */
export const anyContentType = fc.constantFrom(
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
  undefined,
);

/**
 * The property of every malformed-input test: no 5xx, and a refusal explains itself with a body (JSON
 * unless `json` is false). `what` names the request in the failure message.
 */
export function expectExplainedAnswer(status: number, answer: string, what: string, json = true): void {
  const described = `${what} -> ${status} ${answer.slice(0, 300)}`;
  expect(status, described).toBeLessThan(500);
  if (status < 400) return;
  expect(answer.length, described).toBeGreaterThan(0);
  if (json) expect(() => JSON.parse(answer), described).not.toThrow();
}
