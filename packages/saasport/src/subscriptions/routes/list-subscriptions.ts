import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { PricingModel } from "../../catalog/model.js";
import { apiVersionOf } from "../../http/api-version.js";
import { ApiError } from "../../http/errors.js";
import { type FulfillmentDeps, principalOf } from "../deps.js";
import type { PageCursor } from "../repository.js";
import { jsonContentType, wireSubscriptionJson } from "../wire-format.js";

/** The continuation token is opaque to clients: base64url JSON of the last (created, id) served. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ c: cursor.createdAt, i: cursor.id })).toString("base64url");
}

export function decodeCursor(token: string): PageCursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      c?: unknown;
      i?: unknown;
    };
    if (typeof parsed.c !== "string" || typeof parsed.i !== "string") return undefined;
    if (parsed.c.length > 40 || parsed.i.length > 40) return undefined;
    return { createdAt: parsed.c, id: parsed.i };
  } catch {
    return undefined;
  }
}

/**
 * F3: all of the publisher's subscriptions in every status, in creation order, keyset-paged so that
 * pages stay stable while subscriptions are being added. The last page has no `@nextLink`. A publisher
 * with no subscriptions gets `{"subscriptions":[]}`, or an empty body (`emptySubscriptionList`).
 */
export function registerListSubscriptions(app: FastifyInstance, deps: FulfillmentDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = principalOf(request);
    const query = request.query as Record<string, unknown>;
    const rawToken = query.continuationToken;
    let after: PageCursor | undefined;
    if (rawToken !== undefined && rawToken !== "") {
      after = typeof rawToken === "string" ? decodeCursor(rawToken) : undefined;
      if (!after) {
        throw new ApiError("InvalidValue", "The continuationToken is not one this API issued.", {
          target: "continuationToken",
        });
      }
    }
    const pageSize = deps.settings.pageSize;
    const rows = await deps.subscriptions.page(principal.publisherId, after, pageSize + 1);
    const page = rows.slice(0, pageSize);
    if (page.length === 0 && !after && deps.settings.fidelity.emptySubscriptionList === "emptyBody") {
      return reply.code(200).send();
    }
    const pricingModels = new Map<string, PricingModel>();
    for (const offerId of new Set(page.map((row) => row.offer_id))) {
      const offer = await deps.catalog.getOffer(principal.publisherId, offerId);
      pricingModels.set(offerId, offer?.pricingModel ?? "flatRate");
    }
    const subscriptions = page.map((row) =>
      wireSubscriptionJson(row, pricingModels.get(row.offer_id) ?? "flatRate", deps.settings.fidelity),
    );
    let nextLink = "";
    const last = page[page.length - 1];
    if (rows.length > pageSize && last) {
      const token = encodeCursor({ createdAt: last.created_at, id: last.id });
      const url = `${deps.baseUrl()}/api/saas/subscriptions/?continuationToken=${encodeURIComponent(token)}&api-version=${apiVersionOf(request)}`;
      nextLink = `,"@nextLink":${JSON.stringify(url)}`;
    }
    return reply.type(jsonContentType).send(`{"subscriptions":[${subscriptions.join(",")}]${nextLink}}`);
  };
  app.get("/api/saas/subscriptions", handler);
  app.get("/api/saas/subscriptions/", handler);
}
