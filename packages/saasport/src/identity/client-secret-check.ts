import { createHash, timingSafeEqual } from "node:crypto";
import { tokenErrors } from "./token-errors.js";

export interface StoredSecretHash {
  secretHash: string;
  expiresAt: string | null;
}

/**
 * Compares the presented secret's SHA-256 with every stored hash in constant time (all of them, so the
 * time taken does not tell which one matched). Throws AADSTS7000215 or 7000222.
 */
export function checkClientSecret(input: {
  presented: string;
  stored: readonly StoredSecretHash[];
  appId: string;
  now: Date;
}): void {
  const presentedHash = createHash("sha256").update(input.presented, "utf8").digest();
  let matched: StoredSecretHash | undefined;
  for (const candidate of input.stored) {
    const storedHash = Buffer.from(candidate.secretHash, "hex");
    if (storedHash.length === presentedHash.length && timingSafeEqual(storedHash, presentedHash))
      matched = candidate;
  }
  if (!matched) throw tokenErrors.invalidSecret(input.appId);
  if (matched.expiresAt !== null && new Date(matched.expiresAt) <= input.now)
    throw tokenErrors.expiredSecret(input.appId);
}
