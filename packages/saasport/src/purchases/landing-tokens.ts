import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { runPrepared } from "../db/prepared.js";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { sha256Hex } from "../http/operator-auth.js";
import type { Executor } from "../subscriptions/repository.js";
import { type WireSubscriptionRow, wireSubscriptionColumns } from "../subscriptions/wire-format.js";

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
  | { found: true; subscription: WireSubscriptionRow }
  | { found: false; reason: "unknown" | "expired" };

/**
 * Finds the subscription of a token, read with it in one statement. Tokens resolve repeatedly while
 * valid. Publishers are told to URL-decode the token; one that forgot is still recognised by decoding it
 * here once.
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
    const [row] = await runPrepared<Database, WireSubscriptionRow & { token_expires_at: string }>(
      db,
      "landing token with its subscription",
      [sha256Hex(candidate)],
      (marker) =>
        db
          .selectFrom("purchase_tokens as t")
          .innerJoin("subscriptions as s", "s.id", "t.subscription_id")
          .select(wireSubscriptionColumns.map((column) => `s.${column}` as const))
          .select("t.expires_at as token_expires_at")
          .where("t.token_hash", "=", marker(0))
          .compile(),
    );
    if (!row) continue;
    const { token_expires_at: expiresAt, ...subscription } = row;
    if (expiresAt <= toStored(now)) return { found: false, reason: "expired" };
    return { found: true, subscription };
  }
  return { found: false, reason: "unknown" };
}

/** Appends `token=<url-encoded token>` to the landing page URL, keeping any query it already has. */
export function landingPageUrlWithToken(landingPageUrl: string, token: string): string {
  const url = new URL(landingPageUrl);
  url.searchParams.append("token", token);
  return url.toString();
}
