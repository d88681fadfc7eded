/**
 * `effectiveStartTime`: an ISO-8601 date-time (seconds and fractions optional; `Z`, an offset, or no
 * zone, which is read as UTC as .NET writes UTC DateTimes without a kind). Usage is bucketed by the
 * calendar hour in UTC and must lie within the last 24 hours of the subscription's business clock.
 */

const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

export const lookbackMs = 24 * 60 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

/** The instant a date-time names, or undefined when the text is not a valid date-time. */
export function parseEffectiveStartTime(raw: unknown): Date | undefined {
  if (typeof raw !== "string" || raw.length > 40) return undefined;
  const match = dateTimePattern.exec(raw.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = "0", fraction = "", zone = "Z"] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const millis = Number(fraction.padEnd(3, "0").slice(0, 3));
  // Date.UTC reads years below 100 as 19xx; setUTCFullYear keeps them as they are.
  const date = y >= 100 ? new Date(Date.UTC(y, mo - 1, d, h, mi, s, millis)) : new Date(0);
  if (y < 100) {
    date.setUTCFullYear(y, mo - 1, d);
    date.setUTCHours(h, mi, s, millis);
  }
  // 2026-02-30 rolls over into March; a date that does not exist is refused instead.
  if (date.getUTCDate() !== d) return undefined;
  const utc = date.getTime();
  const offsetMs = zoneOffsetMs(zone);
  if (offsetMs === undefined) return undefined;
  const instant = new Date(utc - offsetMs);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

function zoneOffsetMs(zone: string): number | undefined {
  if (zone === "Z" || zone === "z") return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  if (hours > 14 || minutes > 59) return undefined;
  return (match[1] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** The start of the calendar hour (UTC) the instant falls in. */
export function hourBucketOf(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / hourMs) * hourMs);
}

export type WindowCheck = "inside" | "expired" | "future";

/** Usage may be reported from exactly 24 hours ago up to now on the subscription's clock. */
export function checkWindow(effective: Date, now: Date): WindowCheck {
  const at = effective.getTime();
  if (at > now.getTime()) return "future";
  if (at < now.getTime() - lookbackMs) return "expired";
  return "inside";
}
