/**
 * Durations for moving a clock: ISO-8601 (`P1D`, `PT2H`, `P1M`, `P1Y`, `P1DT12H`, `P2W`, `PT0.5S`) or
 * a whole number of milliseconds. Years and months are calendar-based (added to the clock's date,
 * clamped to the end of shorter months); weeks, days and the time part are fixed lengths in UTC.
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
}

export type ParsedDuration = { ok: true; duration: Duration } | { ok: false; message: string };

const zero: Duration = {
  years: 0,
  months: 0,
  weeks: 0,
  days: 0,
  hours: 0,
  minutes: 0,
  seconds: 0,
  milliseconds: 0,
};

const isoPattern =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

const usage =
  "Give an ISO-8601 duration such as P1D, PT2H, P1M, P1Y or P1DT12H, or a whole number of milliseconds.";

export function parseDuration(input: unknown): ParsedDuration {
  if (typeof input === "number") return fromMilliseconds(input, String(input));
  if (typeof input !== "string" || input.trim() === "")
    return { ok: false, message: `No duration. ${usage}` };
  const text = input.trim();
  if (/^\d+$/.test(text)) return fromMilliseconds(Number(text), text);
  const match = isoPattern.exec(text);
  if (!match) return { ok: false, message: `"${text}" is not a duration. ${usage}` };
  const whole = (value: string | undefined) => (value === undefined ? 0 : Number(value));
  const decimal = (value: string | undefined) => (value === undefined ? 0 : Number(value.replace(",", ".")));
  const duration: Duration = {
    years: whole(match[1]),
    months: whole(match[2]),
    weeks: whole(match[3]),
    days: whole(match[4]),
    hours: decimal(match[5]),
    minutes: decimal(match[6]),
    seconds: decimal(match[7]),
    milliseconds: 0,
  };
  if (Object.values(duration).some((value) => !Number.isFinite(value) || value > 1_000_000)) {
    return { ok: false, message: `"${text}" is too large. ${usage}` };
  }
  return { ok: true, duration };
}

function fromMilliseconds(value: number, text: string): ParsedDuration {
  if (!Number.isSafeInteger(value) || value < 0) {
    return { ok: false, message: `"${text}" is not a whole, non-negative number of milliseconds. ${usage}` };
  }
  return { ok: true, duration: { ...zero, milliseconds: value } };
}

const msPerDay = 86_400_000;

/** `from` moved forward by the duration: calendar months first (clamped), then the fixed-length part. */
export function addDuration(from: Date, duration: Duration): Date {
  const months = duration.years * 12 + duration.months;
  let instant = from.getTime();
  if (months !== 0) {
    const year = from.getUTCFullYear();
    const month = from.getUTCMonth() + months;
    const lastDayOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    instant = Date.UTC(
      year,
      month,
      Math.min(from.getUTCDate(), lastDayOfTarget),
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    );
  }
  const fixed =
    (duration.weeks * 7 + duration.days) * msPerDay +
    duration.hours * 3_600_000 +
    duration.minutes * 60_000 +
    duration.seconds * 1000 +
    duration.milliseconds;
  return new Date(instant + Math.round(fixed));
}
