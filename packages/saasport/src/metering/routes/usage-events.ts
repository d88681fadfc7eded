import type { FastifyInstance } from "fastify";
import type { CatalogReader } from "../../catalog/repository.js";
import type { ClockService } from "../../clock/clock-service.js";
import { ApiError } from "../../http/errors.js";
import { principalOf } from "../../subscriptions/deps.js";
import { microsToDecimal } from "../quantity.js";
import { isProcessed, reconStatusOf } from "../recon-status.js";
import type { UsageRepository } from "../repository.js";
import { azureSubscriptionIdOf } from "../resource-uri.js";
import { readUsageQuery } from "../usage-query.js";

export interface UsageReportDeps {
  usage: UsageRepository;
  catalog: CatalogReader;
  clocks: ClockService;
}

/** M3: the caller's usage as daily aggregates (UTC days), filtered, as a JSON array. */
export function registerGetUsageEvents(app: FastifyInstance, deps: UsageReportDeps): void {
  app.get("/api/usageEvents", async (request) => {
    const principal = principalOf(request);
    const read = readUsageQuery((request.query ?? {}) as Record<string, unknown>);
    if (!read.ok) {
      const { target, message } = read.problem;
      throw new ApiError("BadArgument", message, {
        target,
        details: [{ code: "BadArgument", message, target }],
      });
    }
    const { query } = read;
    const rows = await deps.usage.daily({
      publisherId: principal.publisherId,
      fromDay: dayText(query.fromDay),
      untilDay: query.untilDay && dayText(query.untilDay),
      offerId: query.offerId,
      planId: query.planId,
      dimension: query.dimension,
      subscriptionId: query.subscriptionId,
    });
    const answer = [];
    for (const row of rows) {
      const usageDate = new Date(`${row.usage_day}T00:00:00.000Z`);
      const reconStatus = reconStatusOf(row, usageDate, deps.clocks.now(row.test_clock));
      if (query.reconStatus !== undefined && reconStatus !== query.reconStatus) continue;
      const submitted = Number(microsToDecimal(BigInt(row.micros)));
      // Names appear once the day is processed, as live: they are empty while Submitted.
      const named = reconStatus !== "Submitted";
      const [offer, plan] = named
        ? await Promise.all([
            deps.catalog.getOffer(principal.publisherId, row.offer_id),
            deps.catalog.getPlan(principal.publisherId, row.offer_id, row.plan_id),
          ])
        : [undefined, undefined];
      answer.push({
        usageDate: usageDate.toISOString(),
        usageResourceId: row.subscription_id,
        dimension: row.dimension,
        planId: row.plan_id,
        planName: plan?.displayName ?? "",
        offerId: row.offer_id,
        offerName: offer?.displayName ?? "",
        offerType: "SaaS",
        azureSubscriptionId: azureSubscriptionIdOf(row.subscription_id),
        reconStatus,
        submittedQuantity: submitted,
        processedQuantity: isProcessed(reconStatus) ? submitted : 0,
        submittedCount: Number(row.events),
      });
    }
    return answer;
  });
}

/** `2026-05-01` for midnight UTC of that day. */
function dayText(midnight: Date): string {
  return midnight.toISOString().slice(0, 10);
}
