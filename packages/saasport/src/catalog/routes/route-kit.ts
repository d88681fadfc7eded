import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifySchemaCompiler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * Catalog routes check their bodies in the handler (with `readBody`, against the same TypeBox schema
 * the route declares for OpenAPI), so that every problem is reported at once in the catalog's path
 * notation, instead of Fastify stopping at the first one.
 */
export const validatedInHandler: FastifySchemaCompiler<unknown> = () => (value) => ({ value });

export const partnerDocs = {
  tags: ["Partner: catalog"],
  security: [{ publisherToken: [] }, { operatorKey: [] }],
} as const;

export const operatorDocs = {
  tags: ["Operator: catalog"],
  security: [{ operatorKey: [] }],
} as const;

export const OfferParams = Type.Object({ offerId: Type.String() });
export const PlanParams = Type.Object({ offerId: Type.String(), planId: Type.String() });
