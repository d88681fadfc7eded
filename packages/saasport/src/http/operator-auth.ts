import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { ApiError } from "./errors.js";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== "string") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function isOperatorKey(presented: string | undefined, operatorKeyHash: string): boolean {
  if (!presented) return false;
  const presentedHash = Buffer.from(sha256Hex(presented), "hex");
  const expected = Buffer.from(operatorKeyHash, "hex");
  return presentedHash.length === expected.length && timingSafeEqual(presentedHash, expected);
}

/** preHandler for operator-only routes. */
export function requireOperator(operatorKeyHash: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!isOperatorKey(bearerOf(request), operatorKeyHash)) throw new ApiError("OperatorKeyRequired");
  };
}
