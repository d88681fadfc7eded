import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError, badArgument } from "../http/errors.js";
import { requireOperator } from "../http/operator-auth.js";
import type { StoreCaller } from "../purchases/store-auth.js";
import type { FulfillmentDeps } from "./deps.js";
import { allowedBillingEvents, type BillingEvent } from "./lifecycle-rules.js";
import { applyMarketplaceChange, type MarketplaceChange } from "./marketplace-actions.js";
import type { SubscriptionRow } from "./repository.js";
import { subscriptionView } from "./views.js";

const guidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const params = Type.Object({ subscriptionId: Type.String({ pattern: guidPattern }) });
type Params = Static<typeof params>;

const changeBody = Type.Object(
  {
    planId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    autoRenew: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
type ChangeBody = Static<typeof changeBody>;

const listQuery = Type.Object(
  {
    publisherId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    status: Type.Optional(
      Type.Union(
        ["PendingFulfillmentStart", "Subscribed", "Suspended", "Unsubscribed"].map((s) => Type.Literal(s)),
      ),
    ),
    tenantId: Type.Optional(Type.String({ pattern: guidPattern })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** One change per request: a plan, a seat count, or auto-renew. */
function changeOf(body: ChangeBody | undefined): MarketplaceChange {
  const given = Object.entries(body ?? {}).filter(([, value]) => value !== undefined);
  if (given.length !== 1) {
    throw badArgument("body", 'Send exactly one of {"planId"}, {"quantity"} or {"autoRenew"}.');
  }
  if (body?.planId !== undefined) return { kind: "changePlan", planId: body.planId };
  if (body?.quantity !== undefined) return { kind: "changeQuantity", quantity: body.quantity };
  return { kind: "setAutoRenew", autoRenew: body?.autoRenew === true };
}

/**
 * What the store and the operator can do to subscriptions. Buyers see subscriptions they bought or
 * benefit from, and act only on those they bought: a reseller acts for its customer, whose own view
 * is read-only. The operator sees and acts on everything, and also reports billing events.
 */
export function registerMarketplaceRoutes(
  app: FastifyInstance,
  deps: FulfillmentDeps,
  store: { authenticate(request: FastifyRequest): Promise<StoreCaller>; operatorKeyHash: string },
): void {
  async function view(row: SubscriptionRow) {
    const offer = await deps.catalog.getOffer(row.publisher_id, row.offer_id);
    const pending = await deps.subscriptions.pendingOperation(deps.db, row.id);
    return subscriptionView(row, offer?.pricingModel ?? "flatRate", deps.settings, pending);
  }

  /** The operator's view adds the billing events it may report on the subscription now. */
  async function operatorView(row: SubscriptionRow) {
    return { ...(await view(row)), allowedBillingEvents: allowedBillingEvents(row.status) };
  }

  async function visibleTo(caller: StoreCaller, id: string, act: boolean): Promise<SubscriptionRow> {
    const row = await deps.subscriptions.get(id.toLowerCase());
    const notFound = new ApiError("NotFound", `Subscription ${id} was not found.`, {
      target: "subscriptionId",
    });
    if (!row) throw notFound;
    if (caller.kind === "operator") return row;
    const tenant = caller.buyer.tenantId;
    if (row.purchaser_tenant_id === tenant) return row;
    if (row.beneficiary_tenant_id !== tenant) throw notFound;
    if (act) {
      throw new ApiError(
        "Forbidden",
        "This subscription was bought for you by a reseller; ask the reseller to change it.",
        { target: "subscriptionId" },
      );
    }
    return row;
  }

  const signedIn = async (request: FastifyRequest) => {
    request.storeCaller = await store.authenticate(request);
  };
  const callerOf = (request: FastifyRequest) => {
    if (!request.storeCaller) throw new ApiError("Unauthorized");
    return request.storeCaller;
  };

  app.get(
    "/store/v1/subscriptions",
    { onRequest: signedIn, schema: { tags: ["store"], summary: "The signed-in buyer's subscriptions" } },
    async (request) => {
      const caller = callerOf(request);
      if (caller.kind === "operator") {
        throw badArgument("caller", "The operator lists subscriptions at GET /operator/v1/subscriptions.");
      }
      const tenant = caller.buyer.tenantId;
      const rows = await deps.db
        .selectFrom("subscriptions")
        .selectAll()
        .where((eb) =>
          eb.or([eb("purchaser_tenant_id", "=", tenant), eb("beneficiary_tenant_id", "=", tenant)]),
        )
        .orderBy("created_at", "desc")
        .limit(500)
        .execute();
      return { subscriptions: await Promise.all(rows.map(view)) };
    },
  );

  app.get<{ Params: Params }>(
    "/store/v1/subscriptions/:subscriptionId",
    { onRequest: signedIn, schema: { params, tags: ["store"] } },
    async (request) => view(await visibleTo(callerOf(request), request.params.subscriptionId, false)),
  );

  app.patch<{ Params: Params; Body: ChangeBody }>(
    "/store/v1/subscriptions/:subscriptionId",
    {
      onRequest: signedIn,
      schema: { params, body: changeBody, tags: ["store"], summary: "Change plan, seats or auto-renew" },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const row = await visibleTo(caller, request.params.subscriptionId, true);
      const result = await applyMarketplaceChange(deps, row.id, changeOf(request.body), actorOf(caller));
      return reply.code(result.operationStatus === "InProgress" ? 202 : 200).send(result);
    },
  );

  app.delete<{ Params: Params }>(
    "/store/v1/subscriptions/:subscriptionId",
    { onRequest: signedIn, schema: { params, tags: ["store"], summary: "Cancel" } },
    async (request) => {
      const caller = callerOf(request);
      const row = await visibleTo(caller, request.params.subscriptionId, true);
      return applyMarketplaceChange(deps, row.id, { kind: "cancel" }, actorOf(caller));
    },
  );

  const operator = requireOperator(store.operatorKeyHash);

  app.get<{ Querystring: Static<typeof listQuery> }>(
    "/operator/v1/subscriptions",
    { onRequest: operator, schema: { querystring: listQuery, tags: ["operator"] } },
    async (request) => {
      const { publisherId, status, tenantId, limit = 100, after } = request.query;
      let query = deps.db.selectFrom("subscriptions").selectAll();
      if (publisherId) query = query.where("publisher_id", "=", publisherId);
      if (status) query = query.where("status", "=", status as SubscriptionRow["status"]);
      if (tenantId) {
        const tenant = tenantId.toLowerCase();
        query = query.where((eb) =>
          eb.or([eb("purchaser_tenant_id", "=", tenant), eb("beneficiary_tenant_id", "=", tenant)]),
        );
      }
      if (after) {
        const [createdAt, id] = after.split("|");
        if (!createdAt || !id) throw badArgument("after", "Use the nextAfter value of the previous page.");
        query = query.where((eb) => eb(eb.refTuple("created_at", "id"), ">", eb.tuple(createdAt, id)));
      }
      const rows = await query.orderBy("created_at").orderBy("id").limit(limit).execute();
      const last = rows.length === limit ? rows[rows.length - 1] : undefined;
      return {
        subscriptions: await Promise.all(rows.map(operatorView)),
        nextAfter: last ? `${last.created_at}|${last.id}` : null,
      };
    },
  );

  app.get<{ Params: Params }>(
    "/operator/v1/subscriptions/:subscriptionId",
    { onRequest: operator, schema: { params, tags: ["operator"] } },
    async (request) =>
      operatorView(await visibleTo({ kind: "operator" }, request.params.subscriptionId, false)),
  );

  app.patch<{ Params: Params; Body: ChangeBody }>(
    "/operator/v1/subscriptions/:subscriptionId",
    { onRequest: operator, schema: { params, body: changeBody, tags: ["operator"] } },
    async (request, reply) => {
      const result = await applyMarketplaceChange(
        deps,
        request.params.subscriptionId.toLowerCase(),
        changeOf(request.body),
        "operator",
      );
      return reply.code(result.operationStatus === "InProgress" ? 202 : 200).send(result);
    },
  );

  app.delete<{ Params: Params }>(
    "/operator/v1/subscriptions/:subscriptionId",
    { onRequest: operator, schema: { params, tags: ["operator"] } },
    async (request) =>
      applyMarketplaceChange(
        deps,
        request.params.subscriptionId.toLowerCase(),
        { kind: "cancel" },
        "operator",
      ),
  );

  const billingEvents: Record<BillingEvent, MarketplaceChange> = {
    "payment-failed": { kind: "paymentFailed" },
    "payment-recovered": { kind: "paymentRecovered" },
    renew: { kind: "renewNow" },
  };
  for (const [path, change] of Object.entries(billingEvents)) {
    app.post<{ Params: Params }>(
      `/operator/v1/subscriptions/:subscriptionId/${path}`,
      { onRequest: operator, schema: { params, tags: ["operator"] } },
      async (request, reply) => {
        const result = await applyMarketplaceChange(
          deps,
          request.params.subscriptionId.toLowerCase(),
          change,
          "operator",
        );
        return reply.code(result.operationStatus === "InProgress" ? 202 : 200).send(result);
      },
    );
  }
}

function actorOf(caller: StoreCaller) {
  return caller.kind === "operator" ? ("operator" as const) : ("buyer" as const);
}
