import type { FastifyRequest } from "fastify";
import type { Clock } from "../clock/clock.js";
import { ApiError } from "../http/errors.js";
import { bearerOf, isOperatorKey } from "../http/operator-auth.js";
import type { PublishedKeyStore } from "../identity/published-keys.js";
import { type Buyer, verifyBuyerToken } from "./buyer-tokens.js";

export type StoreCaller = { kind: "operator" } | { kind: "buyer"; buyer: Buyer };

/** Who calls the store: the operator (acting for any buyer) or a signed-in buyer. */
export function storeAuthenticator(deps: { operatorKeyHash: string; keys: PublishedKeyStore; clock: Clock }) {
  return async (request: FastifyRequest): Promise<StoreCaller> => {
    const presented = bearerOf(request);
    if (isOperatorKey(presented, deps.operatorKeyHash)) return { kind: "operator" };
    const buyer = presented ? await verifyBuyerToken(deps.keys, deps.clock, presented) : undefined;
    if (buyer) return { kind: "buyer", buyer };
    throw new ApiError(
      "Unauthorized",
      "Sign in: send 'Authorization: Bearer <buyer token>' (POST /operator/v1/buyer-tokens issues one) or the operator key.",
    );
  };
}
