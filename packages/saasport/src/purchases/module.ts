import { type Static, Type } from "@sinclair/typebox";
import { createCatalogReader } from "../catalog/repository.js";
import type { HttpModule } from "../http/module.js";
import { requireOperator } from "../http/operator-auth.js";
import { createPurchase } from "./create-purchase.js";

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
    beneficiary: identitySchema,
    purchaser: Type.Optional(identitySchema),
  },
  { additionalProperties: false },
);

/** The buying side (`/store/v1`): purchases that start subscriptions and hand out landing tokens. */
export const purchasesModule: HttpModule = {
  name: "purchases",
  register(app, ctx) {
    const catalog = createCatalogReader(ctx.db);
    app.post<{ Body: Static<typeof purchaseSchema> }>(
      "/store/v1/purchases",
      { schema: { body: purchaseSchema }, onRequest: requireOperator(ctx.operatorKeyHash) },
      async (request, reply) => {
        const result = await createPurchase(
          {
            db: ctx.db,
            catalog,
            clock: ctx.clock,
            landingTokenTtlSeconds: ctx.settings.landingTokenTtlSeconds,
          },
          request.body,
        );
        return reply.code(201).send(result);
      },
    );
    return undefined;
  },
};
