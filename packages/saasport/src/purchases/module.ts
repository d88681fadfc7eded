import { type Static, Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { buyerCatalog } from "../catalog/buyer-view.js";
import { createCatalogReader } from "../catalog/repository.js";
import { ApiError, badArgument } from "../http/errors.js";
import type { HttpModule } from "../http/module.js";
import { requireOperator } from "../http/operator-auth.js";
import { createPublishedKeyStore } from "../identity/published-keys.js";
import { createTokenSigner } from "../identity/token-signer.js";
import { buyerTokenLifetimeSeconds, issueBuyerToken, newBuyer } from "./buyer-tokens.js";
import { createPurchase, type IdentityInput, type PurchaseInput } from "./create-purchase.js";
import { buyerPrivatePrices } from "./private-prices.js";
import { type StoreCaller, storeAuthenticator } from "./store-auth.js";

const guid = Type.String({
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
});
const identitySchema = Type.Object(
  {
    tenantId: guid,
    objectId: Type.Optional(guid),
    emailId: Type.Optional(Type.String({ format: "email", maxLength: 254 })),
  },
  { additionalProperties: false },
);
const purchaseSchema = Type.Object(
  {
    offerId: Type.String({ minLength: 1, maxLength: 50 }),
    publisherId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    planId: Type.String({ minLength: 1, maxLength: 50 }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    termUnit: Type.Optional(
      Type.Union(["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"].map((unit) => Type.Literal(unit))),
    ),
    paymentOption: Type.Optional(
      Type.Union([Type.Literal("upfront"), Type.Literal("monthly"), Type.Literal("annual")]),
    ),
    market: Type.Optional(Type.String({ pattern: "^[A-Z]{2}$" })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    channel: Type.Optional(Type.Union([Type.Literal("direct"), Type.Literal("field")])),
    beneficiary: Type.Optional(identitySchema),
    purchaser: Type.Optional(identitySchema),
    testClock: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" })),
  },
  { additionalProperties: false },
);
type PurchaseBody = Static<typeof purchaseSchema>;

/**
 * Who the purchase is for and who pays. The operator names both. A signed-in buyer buys for their own
 * tenant, or, naming another tenant as beneficiary, as that customer's reseller (the buyer pays).
 */
function parties(
  caller: StoreCaller,
  body: PurchaseBody,
): { beneficiary: IdentityInput; purchaser?: IdentityInput } {
  if (caller.kind === "operator") {
    if (!body.beneficiary)
      throw badArgument("beneficiary", 'Name the beneficiary: {"tenantId": "<guid>"}.', "RequiredField");
    return { beneficiary: body.beneficiary, ...(body.purchaser ? { purchaser: body.purchaser } : {}) };
  }
  const { buyer } = caller;
  if (body.purchaser && body.purchaser.tenantId.toLowerCase() !== buyer.tenantId) {
    throw new ApiError("Forbidden", "A buyer can only purchase as themselves.", { target: "purchaser" });
  }
  const beneficiary = body.beneficiary ?? buyer;
  if (beneficiary.tenantId.toLowerCase() === buyer.tenantId)
    return { beneficiary: { ...buyer, ...body.beneficiary } };
  return { beneficiary, purchaser: buyer };
}

const buyerTokenSchema = identitySchema;

declare module "fastify" {
  interface FastifyRequest {
    storeCaller?: StoreCaller;
  }
}

/** The buying side (`/store/v1`): browsing, purchases that start subscriptions and hand out landing tokens. */
export const purchasesModule: HttpModule = {
  name: "purchases",
  register(app, ctx) {
    const catalog = createCatalogReader(ctx.db);
    const keys = createPublishedKeyStore({ db: ctx.db, clock: ctx.clock });
    const signer = createTokenSigner({ db: ctx.db, clock: ctx.clock });
    const authenticate = storeAuthenticator({ operatorKeyHash: ctx.operatorKeyHash, keys, clock: ctx.clock });

    app.post<{ Body: Static<typeof buyerTokenSchema> }>(
      "/operator/v1/buyer-tokens",
      { schema: { body: buyerTokenSchema }, onRequest: requireOperator(ctx.operatorKeyHash) },
      async (request, reply) => {
        const buyer = newBuyer(request.body);
        const token = await issueBuyerToken(signer, buyer, `${ctx.baseUrl}/${buyer.tenantId}/v2.0`);
        return reply
          .code(201)
          .send({ token_type: "Bearer", access_token: token, expires_in: buyerTokenLifetimeSeconds, buyer });
      },
    );

    // Sign-in is checked before the body is read, so an anonymous caller learns nothing about inputs.
    const signIn = async (request: FastifyRequest) => {
      request.storeCaller = await authenticate(request);
    };
    const callerOf = (request: FastifyRequest): StoreCaller => {
      if (!request.storeCaller) throw new ApiError("Unauthorized");
      return request.storeCaller;
    };

    app.get<{ Querystring: { tenantId?: string } }>(
      "/store/v1/offers",
      { schema: { querystring: Type.Object({ tenantId: Type.Optional(guid) }) }, onRequest: signIn },
      async (request) => {
        const caller = callerOf(request);
        const tenantId = caller.kind === "buyer" ? caller.buyer.tenantId : (request.query.tenantId ?? "");
        const tenant = tenantId.toLowerCase();
        return buyerCatalog(ctx.db, tenant, await buyerPrivatePrices(ctx.db, tenant, ctx.clocks.now()));
      },
    );

    app.post<{ Body: PurchaseBody }>(
      "/store/v1/purchases",
      { schema: { body: purchaseSchema }, onRequest: signIn },
      async (request, reply) => {
        const caller = callerOf(request);
        const input: PurchaseInput = { ...request.body, ...parties(caller, request.body) };
        const result = await createPurchase(
          {
            db: ctx.db,
            catalog,
            clock: ctx.clock,
            clocks: ctx.clocks,
            settings: ctx.settings,
            signals: ctx.signals,
          },
          input,
        );
        return reply.code(201).send(result);
      },
    );
    return undefined;
  },
};
