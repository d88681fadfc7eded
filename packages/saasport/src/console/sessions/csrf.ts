import { timingSafeEqual } from "node:crypto";

/** The name of the hidden anti-forgery field of every console form. */
export const csrfField = "csrf";

/** True when the posted value is exactly the expected token (compared in constant time). */
export function sameToken(posted: unknown, expected: string | undefined): boolean {
  if (typeof posted !== "string" || !expected || posted.length > 200) return false;
  const given = Buffer.from(posted);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
