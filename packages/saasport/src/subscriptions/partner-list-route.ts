import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { PricingModel } from "../catalog/model.js";
import type { AppContext } from "../http/context.js";
import { badArgument } from "../http/errors.js";
import { partnerOf, partnerScope } from "../http/partner-auth.js";
import { type FulfillmentDeps, isGuid } from "./deps.js";
import { registerPartnerSubscriptionGet } from "./partner-get-route.js";
import type { OperationRow, PageCursor, SubscriptionRow } from "./repository.js";
import { decodeCursor, encodeCursor } from "./routes/list-subscriptions.js";
import { subscriptionView } from "./views.js";

const defaultLimit = 100;
const statuses: readonly SubscriptionRow["status"][] = [
  "PendingFulfillmentStart",
  "Subscribed",
  "Suspended",
  "Unsubscribed",
];
const maxLimit = 500;

const listQuery = Type.Object(
  {
    // Checked in the handler, whose message names the allowed values (the schema's would not).
    status: Type.Optional(Type.String({ maxLength: 50, description: `One of ${statuses.join(", ")}` })),
    offerId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 50, description: "The catalog offer id (without -preview)" }),
    ),
    planId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    // Checked in the handler, whose message says what a tenant id looks like (the schema's quotes a regex).
    beneficiaryTenantId: Type.Optional(
      Type.String({ maxLength: 100, description: "The tenant (a GUID) the subscription is for" }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxLimit,
        description: `Subscriptions per page (default ${defaultLimit})`,
      }),
    ),
    continuationToken: Type.Optional(
      Type.String({ maxLength: 200, description: "The continuationToken of the previous page" }),
    ),
  },
  { additionalProperties: false },
);
type ListQuery = Static<typeof listQuery>;
const queryNames = new Set(Object.keys(listQuery.properties));

const listAnswer = Type.Object({
  subscriptions: Type.Array(Type.Object({}, { additionalProperties: true })),
  continuationToken: Type.Union([Type.String(), Type.Null()]),
  "@nextLink": Type.Union([Type.String(), Type.Null()]),
});

/** Fastify drops query parameters the schema does not name; a misspelt filter is refused instead. */
function refuseUnknownParameters(request: FastifyRequest): void {
  const search = new URL(request.url, "http://localhost").searchParams;
  for (const name of search.keys()) {
    if (!queryNames.has(name)) {
      throw badArgument(
        `querystring.${name.slice(0, 50)}`,
        `Unknown query parameter "${name.slice(0, 50)}"; use ${[...queryNames].join(", ")}.`,
      );
    }
  }
}

function statusOf(value: string | undefined): SubscriptionRow["status"] | undefined {
  if (value === undefined || value === "") return undefined;
  const status = statuses.find((candidate) => candidate === value);
  if (!status) {
    throw badArgument(
      "querystring.status",
      `querystring.status must be one of ${statuses.join(", ")} (got ${JSON.stringify(value)}).`,
    );
  }
  return status;
}

function tenantOf(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (!isGuid(value)) {
    throw badArgument(
      "querystring.beneficiaryTenantId",
      `querystring.beneficiaryTenantId must be a tenant id, a GUID such as 33333333-3333-3333-3333-333333333333 (got ${JSON.stringify(value.slice(0, 60))}).`,
    );
  }
  return value.toLowerCase();
}

function cursorOf(token: string | undefined): PageCursor | undefined {
  if (token === undefined || token === "") return undefined;
  const cursor = decodeCursor(token);
  if (!cursor) {
    throw badArgument(
      "querystring.continuationToken",
      "querystring.continuationToken is not one this API issued: pass the continuationToken of the previous page.",
    );
  }
  return cursor;
}

/**
 * GET /partner/v1/subscriptions: the calling publisher's own subscriptions, filtered by status, offer,
 * plan and beneficiary tenant, in creation order and keyset-paged (a page stays stable while new
 * subscriptions are added: they only ever come after the last one served). One subscription is read at
 * GET /partner/v1/subscriptions/{subscriptionId} (partner-get-route.ts), in the same view.
 */
export async function registerPartnerSubscriptionList(
  app: FastifyInstance,
  ctx: AppContext,
  deps: FulfillmentDeps,
): Promise<void> {
  const partnerAuth = {
    publisherAuth: ctx.publisherAuth,
    operatorKeyHash: ctx.operatorKeyHash,
    publisherExists: async (publisherId: string) =>
      (await deps.catalog.getPublisher(publisherId)) !== undefined,
  };

  async function pendingOperations(rows: SubscriptionRow[]): Promise<Map<string, OperationRow>> {
    if (rows.length === 0) return new Map();
    const operations = await deps.db
      .selectFrom("operations")
      .selectAll()
      .where(
        "subscription_id",
        "in",
        rows.map((row) => row.id),
      )
      .where("pending", "=", 1)
      .execute();
    return new Map(operations.map((operation) => [operation.subscription_id, operation]));
  }

  async function pricingModels(publisherId: string, rows: SubscriptionRow[]) {
    const models = new Map<string, PricingModel>();
    for (const offerId of new Set(rows.map((row) => row.offer_id))) {
      const offer = await deps.catalog.getOffer(publisherId, offerId);
      models.set(offerId, offer?.pricingModel ?? "flatRate");
    }
    return models;
  }

  function nextLink(query: ListQuery, limit: number, token: string): string {
    const params = new URLSearchParams();
    for (const name of ["status", "offerId", "planId", "beneficiaryTenantId"] as const) {
      const value = query[name];
      if (value) params.set(name, value);
    }
    params.set("limit", String(limit));
    params.set("continuationToken", token);
    return `${deps.baseUrl()}/partner/v1/subscriptions?${params.toString()}`;
  }

  await partnerScope(app, partnerAuth, (scope) => {
    scope.get<{ Querystring: ListQuery }>(
      "/subscriptions",
      {
        schema: {
          tags: ["Partner: subscriptions"],
          security: [{ publisherToken: [] }, { operatorKey: [] }],
          summary: "The publisher's subscriptions, filtered and keyset-paged",
          querystring: listQuery,
          response: { 200: listAnswer },
        },
      },
      async (request) => {
        refuseUnknownParameters(request);
        const { publisherId } = partnerOf(request);
        const { offerId, planId, limit = defaultLimit } = request.query;
        const status = statusOf(request.query.status);
        const beneficiaryTenantId = tenantOf(request.query.beneficiaryTenantId);
        const after = cursorOf(request.query.continuationToken);
        let query = deps.db.selectFrom("subscriptions").selectAll().where("publisher_id", "=", publisherId);
        if (status) query = query.where("status", "=", status);
        if (offerId) query = query.where("offer_id", "=", offerId);
        if (planId) query = query.where("plan_id", "=", planId);
        if (beneficiaryTenantId) {
          query = query.where("beneficiary_tenant_id", "=", beneficiaryTenantId);
        }
        if (after) {
          query = query.where((eb) =>
            eb(eb.refTuple("created_at", "id"), ">", eb.tuple(after.createdAt, after.id)),
          );
        }
        // One more row than the page tells whether another page follows.
        const rows = await query
          .orderBy("created_at")
          .orderBy("id")
          .limit(limit + 1)
          .execute();
        const page = rows.slice(0, limit);
        const [pending, models] = await Promise.all([
          pendingOperations(page),
          pricingModels(publisherId, page),
        ]);
        const last = page[page.length - 1];
        const token =
          rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null;
        return {
          subscriptions: page.map((row) =>
            subscriptionView(row, models.get(row.offer_id) ?? "flatRate", deps.settings, pending.get(row.id)),
          ),
          continuationToken: token,
          "@nextLink": token ? nextLink(request.query, limit, token) : null,
        };
      },
    );
    registerPartnerSubscriptionGet(scope, deps);
  });
}
