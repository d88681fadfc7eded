import type { FastifyReply } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../../../db/tables.js";
import { attachment, csvContentType, toCsv } from "../../csv.js";
import { listPayoutStatements, publisherRevenue } from "../../payouts.js";
import { payoutColumns, revenueColumns, revenueRecords } from "./csv-columns.js";
import { optionalMonthRange, requiredMonthRange } from "./months.js";
import type { PayoutQuery, RevenueQuery } from "./schemas.js";

export interface RevenueRouteDeps {
  db: Kysely<Database>;
  storeFeePercent: string;
  publisherExists(publisherId: string): Promise<boolean>;
}

function sendCsv(reply: FastifyReply, filename: string, text: string): FastifyReply {
  return reply
    .header("content-type", csvContentType)
    .header("content-disposition", attachment(filename))
    .send(text);
}

/** One publisher's revenue report, as JSON or CSV. */
export async function answerRevenue(
  reply: FastifyReply,
  deps: RevenueRouteDeps,
  publisherId: string,
  query: RevenueQuery,
) {
  const { from, to } = requiredMonthRange(query);
  const months = await publisherRevenue(deps.db, {
    publisherId,
    from,
    to,
    offerId: query.offerId,
    planId: query.planId,
  });
  if (query.format === "csv") {
    const text = toCsv(revenueColumns, revenueRecords(publisherId, months));
    return sendCsv(reply, `revenue-${publisherId}-${from}-${to}.csv`, text);
  }
  return { publisherId, from, to, months };
}

/** Payout statements of one publisher, or of every publisher when `publisherId` is undefined. */
export async function loadPayouts(
  deps: RevenueRouteDeps,
  publisherId: string | undefined,
  query: PayoutQuery,
) {
  const range = optionalMonthRange(query);
  const statements = await listPayoutStatements(deps.db, { ...range, publisherId }, deps.storeFeePercent);
  return { range, statements };
}

export function sendPayoutsCsv(
  reply: FastifyReply,
  deps: RevenueRouteDeps,
  publisherId: string | undefined,
  { range, statements }: Awaited<ReturnType<typeof loadPayouts>>,
): FastifyReply {
  const filename = ["payouts", publisherId ?? "all", range.from, range.to].filter(Boolean).join("-");
  return sendCsv(reply, `${filename}.csv`, toCsv(payoutColumns(deps.storeFeePercent), statements));
}
