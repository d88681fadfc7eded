import { type TSchema, Type } from "@sinclair/typebox";

export const partnerDocs = {
  tags: ["Partner: webhooks"],
  security: [{ publisherToken: [] }, { operatorKey: [] }],
} as const;

export const operatorDocs = {
  tags: ["Operator: webhooks"],
  security: [{ operatorKey: [] }],
} as const;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const DeliveryStatus = Type.Union(
  [Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("rejected"), Type.Literal("failed")],
  {
    description:
      "pending (waiting or in flight), delivered (2xx), rejected (4xx to a change awaiting acknowledgement), failed (retry budget used up)",
  },
);

export const DeliveryView = Type.Object({
  id: Type.String({ description: "Stable delivery id, sent as x-saasport-delivery-id with every attempt" }),
  eventId: Type.String(),
  subscriptionId: Type.String(),
  publisherId: Type.String(),
  seq: Type.Integer({ description: "The event's sequence number within its subscription" }),
  action: Type.String(),
  operationId: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String()),
  firstAttemptAt: Nullable(Type.String()),
  lastAttemptAt: Nullable(Type.String()),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  redeliveryOf: Nullable(Type.String({ description: "The delivery a manual redelivery repeats" })),
  createdAt: Type.String(),
});

export const AttemptView = Type.Object({
  attempt: Type.Integer(),
  startedAt: Type.String(),
  durationMs: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  outcome: Type.String({
    description: "delivered, rejected, retry, gave-up, or held (an out-of-order fault)",
  }),
  error: Nullable(Type.String()),
  responseSnippet: Nullable(
    Type.String({ description: "The first 512 characters of the receiver's answer" }),
  ),
  fault: Nullable(Type.String({ description: "The injected fault that shaped the attempt" })),
});

export const DeliveryDetail = Type.Intersect([
  DeliveryView,
  Type.Object({
    payload: Type.Unknown({ description: "The JSON body sent to the webhook" }),
    attemptLog: Type.Array(AttemptView),
  }),
]);

export const DeliveryPage = Type.Object({
  deliveries: Type.Array(DeliveryView),
  next: Nullable(Type.String({ description: "Pass as `after` for the next page; null on the last page" })),
});

const listFilters = {
  subscriptionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(DeliveryStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  after: Type.Optional(
    Type.String({ minLength: 1, maxLength: 500, description: "The `next` of the previous page" }),
  ),
};

export const PartnerListQuery = Type.Object(listFilters, { additionalProperties: false });
export const OperatorListQuery = Type.Object(
  { ...listFilters, publisherId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const SecretView = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  retiredAt: Nullable(Type.String()),
});

export const CreatedSecret = Type.Intersect([
  SecretView,
  Type.Object({
    secret: Type.String({
      description:
        'The HMAC-SHA256 key, shown only now. Calls carry x-saasport-signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<raw body>">, one v1 per unretired secret.',
    }),
  }),
]);
