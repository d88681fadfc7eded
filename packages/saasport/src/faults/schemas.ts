import { Type } from "@sinclair/typebox";
import { maxSeed } from "./spec.js";

/** OpenAPI grouping for the fault routes. */
export const operatorFaultDocs = { tags: ["Operator: faults"], security: [{ operatorKey: [] }] };

const id = Type.String({ minLength: 1, maxLength: 100 });
const nullableString = Type.Union([Type.String(), Type.Null()]);
const nullableInteger = Type.Union([Type.Integer(), Type.Null()]);
const target = Type.Union([Type.Literal("webhook"), Type.Literal("api")]);
const kind = Type.Union(
  [
    Type.Literal("status"),
    Type.Literal("timeout"),
    Type.Literal("delay"),
    Type.Literal("duplicate"),
    Type.Literal("outOfOrder"),
    Type.Literal("latency"),
  ],
  { description: "webhook: status, timeout, delay, duplicate, outOfOrder; api: status, latency" },
);

export const CreateFaultBody = Type.Object(
  {
    target,
    publisherId: Type.Optional(id),
    subscriptionId: Type.Optional(id),
    kind,
    status: Type.Optional(
      Type.Integer({ description: "webhook: 400-599; api: 429 or 500-599 (kind status)" }),
    ),
    delayMs: Type.Optional(Type.Integer({ description: "kind delay (webhook) or latency (api)" })),
    holdMs: Type.Optional(Type.Integer({ description: "kind outOfOrder" })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 1 })),
    count: Type.Optional(
      Type.Integer({ minimum: 1, description: "how many applications; leave out for until cleared" }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: maxSeed, description: "default: random" })),
  },
  { additionalProperties: false },
);

export const Fault = Type.Object({
  id: Type.String(),
  target,
  publisherId: nullableString,
  subscriptionId: nullableString,
  kind,
  status: Type.Optional(Type.Integer()),
  delayMs: Type.Optional(Type.Integer()),
  holdMs: Type.Optional(Type.Integer()),
  probability: Type.Number(),
  count: nullableInteger,
  remaining: nullableInteger,
  seed: Type.Integer(),
  /** Times the fault was applied. */
  hits: Type.Integer(),
  /** Times the fault was asked (its draws are numbered by this). */
  consults: Type.Integer(),
  active: Type.Boolean(),
  label: Type.String(),
  createdAt: Type.String(),
  clearedAt: nullableString,
});

export const FaultList = Type.Object({ faults: Type.Array(Fault) });
export const FaultParams = Type.Object({ faultId: id });
export const ListFaultsQuery = Type.Object({
  all: Type.Optional(Type.Boolean({ description: "include cleared and used-up faults" })),
});
export const ClearFaultsQuery = Type.Object({ publisherId: Type.Optional(id) });
export const ClearedFaults = Type.Object({ cleared: Type.Integer() });
