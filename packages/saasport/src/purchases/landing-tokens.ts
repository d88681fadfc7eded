import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { selectWhere } from "../db/prepared.js";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { sha256Hex } from "../http/operator-auth.js";
import type { Executor } from "../subscriptions/repository.js";

/**
 * Landing-page purchase tokens: 48 random bytes (384 bits) in standard base64, so they carry `+`, `/`
 * and `=` like the live ones and exercise the publisher's URL decoding. Only the SHA-256 is stored.
 */
export function generateLandingToken(): string {
  return randomBytes(48).toString("base64");
}

export async function storeLandingToken(
  executor: Executor,
  input: { token: string; subscriptionId: string; now: Date; ttlSeconds: number },
): Promise<void> {
  await executor
    .insertInto("purchase_tokens")
    .values({
      token_hash: sha256Hex(input.token),
      subscription_id: input.subscriptionId,
      created_at: toStored(input.now),
      expires_at: toStored(new Date(input.now.getTime() + input.ttlSeconds * 1000)),
    })
    .execute();
}

export type TokenLookup =
  | { found: true; subscriptionId: string }
  | { found: false; reason: "unknown" | "expired" };

interface TokenRow {
  subscription_id: string;
  expires_at: string;
}

/**
 * Finds the subscription of a token. Tokens resolve repeatedly while valid. Publishers are told to
 * URL-decode the token; one that forgot is still recognised by decoding it here once.
 */
export async function lookupLandingToken(
  db: Kysely<Database>,
  presented: string,
  now: Date,
): Promise<TokenLookup> {
  const candidates = [presented];
  try {
    const decoded = decodeURIComponent(presented);
    if (decoded !== presented) candidates.push(decoded);
  } catch {
    // not URL-encoded: only the token as presented can match
  }
  for (const candidate of candidates) {
    const [row] = await selectWhere<Database, "purchase_tokens", TokenRow>(
      db,
      "purchase_tokens",
      { token_hash: sha256Hex(candidate) },
      { columns: ["subscription_id", "expires_at"] },
    );
    if (!row) continue;
    if (row.expires_at <= toStored(now)) return { found: false, reason: "expired" };
    return { found: true, subscriptionId: row.subscription_id };
  }
  return { found: false, reason: "unknown" };
}

/** Appends `token=<url-encoded token>` to the landing page URL, keeping any query it already has. */
export function landingPageUrlWithToken(landingPageUrl: string, token: string): string {
  const url = new URL(landingPageUrl);
  url.searchParams.append("token", token);
  return url.toString();
}
