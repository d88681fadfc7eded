import { isReconStatus, type ReconStatus } from "./recon-status.js";
import { isGuid, subscriptionIdOfAzureSubscription } from "./resource-uri.js";
import type { Rejection } from "./usage-status.js";

/** The filters of GET /api/usageEvents, checked. */
export interface UsageQuery {
  /** First UTC day included (midnight). */
  fromDay: Date;
  /** First UTC day no longer included (midnight); undefined: no end (each subscription's now). */
  untilDay: Date | undefined;
  offerId: string | undefined;
  planId: string | undefined;
  dimension: string | undefined;
  /** The SaaS subscription behind the azureSubscriptionId filter. */
  subscriptionId: string | undefined;
  reconStatus: ReconStatus | undefined;
}

const dayMs = 86_400_000;
const datePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads the query: `usageStartDate` is required (a date or a date-time); `UsageEndDate` (also
 * `usageEndDate`) is optional. Both name days: every day from the start's day through the end's day
 * is included. The other parameters are exact-match filters.
 */
export function readUsageQuery(
  query: Record<string, unknown>,
): { ok: true; query: UsageQuery } | { ok: false; problem: Rejection } {
  const bad = (target: string, message: string) =>
    ({ ok: false, problem: { status: "BadArgument", target, message } }) as const;
  const single = (name: string): string | undefined | null => {
    const value = query[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) return undefined;
    return typeof first === "string" && first.length <= 200 ? first : null;
  };

  const start = single("usageStartDate");
  if (start === undefined || start === "")
    return bad(
      "usageStartDate",
      "The usageStartDate is required (for example 2026-05-01 or 2026-05-01T00:00:00Z).",
    );
  const fromDay = start === null ? undefined : dayOf(start);
  if (!fromDay)
    return bad(
      "usageStartDate",
      "The usageStartDate must be an ISO-8601 date or date-time, such as 2026-05-01.",
    );

  const end = single("UsageEndDate") ?? single("usageEndDate");
  let untilDay: Date | undefined;
  if (end !== undefined && end !== "") {
    const endDay = end === null ? undefined : dayOf(end);
    if (!endDay)
      return bad(
        "UsageEndDate",
        "The UsageEndDate must be an ISO-8601 date or date-time, such as 2026-05-31.",
      );
    if (endDay.getTime() < fromDay.getTime())
      return bad("UsageEndDate", "The UsageEndDate is before the usageStartDate.");
    untilDay = new Date(endDay.getTime() + dayMs);
  }

  const filters: Record<string, string | undefined> = {};
  for (const name of ["offerId", "planId", "dimension", "azureSubscriptionId", "reconStatus"]) {
    const value = single(name);
    if (value === null)
      return bad(name, `The ${name} filter must be a single value of at most 200 characters.`);
    filters[name] = value === "" ? undefined : value;
  }
  const azure = filters.azureSubscriptionId;
  if (azure !== undefined && !isGuid(azure))
    return bad("azureSubscriptionId", "The azureSubscriptionId must be a GUID.");
  const recon = filters.reconStatus;
  if (recon !== undefined && !isReconStatus(recon)) {
    return bad(
      "reconStatus",
      "The reconStatus must be one of Submitted, Accepted, Rejected, Mismatch, TestHeaders, DryRun.",
    );
  }
  return {
    ok: true,
    query: {
      fromDay,
      untilDay,
      offerId: filters.offerId,
      planId: filters.planId,
      dimension: filters.dimension,
      subscriptionId: azure === undefined ? undefined : subscriptionIdOfAzureSubscription(azure),
      reconStatus: recon as ReconStatus | undefined,
    },
  };
}

/** The UTC day (midnight) a date or date-time falls in; a date-time with an offset is converted first. */
function dayOf(text: string): Date | undefined {
  const match = datePattern.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = "00", minute = "00", second = "00", zone = "Z"] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (
    date.getUTCDate() !== Number(day) ||
    Number(month) < 1 ||
    Number(month) > 12 ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  )
    return undefined;
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  const shifted = offset
    ? date.getTime() - (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000
    : date.getTime();
  if (Number.isNaN(shifted)) return undefined;
  return new Date(Math.floor(shifted / dayMs) * dayMs);
}
