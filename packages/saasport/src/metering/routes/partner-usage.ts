import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { badArgument } from "../../http/errors.js";
import { partnerOf } from "../../http/partner-auth.js";
import { microsToDecimal } from "../quantity.js";
import type { UsageRepository } from "../repository.js";

const day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "UTC day, e.g. 2026-05-01" });
const usageQuery = Type.Object(
  {
    from: day,
    to: Type.Optional(day),
    subscriptionId: Type.Optional(
      Type.String({
        pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
      }),
    ),
    offerId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    planId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    dimension: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

const maxDays = 366;

/**
 * GET /partner/v1/usage: the publisher's accepted usage per day, subscription and dimension, with exact
 * quantities (decimal strings) — the data behind usage charts and billing checks. `from` and `to` are
 * UTC days, both included (at most a year).
 */
export function registerPartnerUsage(app: FastifyInstance, usage: UsageRepository): void {
  app.get<{ Querystring: Static<typeof usageQuery> }>(
    "/usage",
    {
      schema: { querystring: usageQuery, tags: ["partner"], summary: "Accepted usage per day and dimension" },
    },
    async (request) => {
      const { from, to = from, subscriptionId, offerId, planId, dimension } = request.query;
      for (const [name, value] of [
        ["from", from],
        ["to", to],
      ] as const) {
        if (!isCalendarDay(value))
          throw badArgument(name, `${name} must be a real calendar day, such as 2026-05-01.`);
      }
      const fromTime = `${from}T00:00:00.000Z`;
      const untilDate = new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000);
      const days = (untilDate.getTime() - Date.parse(fromTime)) / 86_400_000;
      if (days < 1) throw badArgument("to", "to must not be before from.");
      if (days > maxDays) throw badArgument("to", `Ask for at most ${maxDays} days at a time.`);
      const rows = await usage.daily({
        publisherId: partnerOf(request).publisherId,
        fromDay: from,
        untilDay: untilDate.toISOString().slice(0, 10),
        offerId,
        planId,
        dimension,
        subscriptionId: subscriptionId?.toLowerCase(),
      });
      return {
        usage: rows.map((row) => ({
          day: row.usage_day,
          subscriptionId: row.subscription_id,
          offerId: row.offer_id,
          planId: row.plan_id,
          dimension: row.dimension,
          quantity: microsToDecimal(BigInt(row.micros)),
          events: Number(row.events),
        })),
      };
    },
  );
}

/** True for an existing day: JavaScript reads 2026-02-30 as March 2. */
function isCalendarDay(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00.000Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}
