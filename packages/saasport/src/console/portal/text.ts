import { html, type SafeHtml } from "../../http/html.js";

/** A timestamp as "2026-05-01 12:03:04 UTC" in a <time> element; "–" when absent. */
export function timeText(value: string | null | undefined): SafeHtml {
  if (!value) return html`–`;
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value);
  return html`<time datetime="${value}">${match ? `${match[1]} ${match[2]} UTC` : value}</time>`;
}

/** A JSON value, indented, for a <pre>. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "";
}

const scale = 1_000_000n;

/** An exact decimal string as millionths (the API's quantities and amounts have at most 6 decimals). */
export function toMicros(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (!match) return 0n;
  const micros = BigInt(match[2] ?? "0") * scale + BigInt((match[3] ?? "").padEnd(6, "0"));
  return match[1] ? -micros : micros;
}

/** Millionths back to a decimal string without trailing zeros ("12.5", "3"). */
export function fromMicros(micros: bigint): string {
  const sign = micros < 0n ? "-" : "";
  const absolute = micros < 0n ? -micros : micros;
  const whole = absolute / scale;
  const fraction = (absolute % scale).toString().padStart(6, "0").replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** A number for an axis: "1,200", "2.5". */
export function axisNumber(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** The months from `from` to `to` (YYYY-MM), both included; at most 120. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split("-").map(Number) as [number, number];
  const [lastYear, lastMonth] = to.split("-").map(Number) as [number, number];
  while ((year < lastYear || (year === lastYear && month <= lastMonth)) && months.length < 120) {
    months.push(`${year}-${String(month).padStart(2, "0")}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** The days from `from` to `to` (YYYY-MM-DD), both included; at most 366. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const last = Date.parse(`${to}T00:00:00.000Z`);
  for (
    let time = Date.parse(`${from}T00:00:00.000Z`);
    time <= last && days.length < 366;
    time += 86_400_000
  ) {
    days.push(new Date(time).toISOString().slice(0, 10));
  }
  return days;
}

/** YYYY-MM of a date, `offset` months later (negative: earlier). */
export function monthOf(date: Date, offset = 0): string {
  const shifted = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
  return shifted.toISOString().slice(0, 7);
}
