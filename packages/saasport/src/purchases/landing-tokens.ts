import { randomBytes } from "node:crypto";
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  PostgresAdapter,
  type SqlBool,
  sql,
} from "kysely";
import { runPrepared } from "../db/prepared.js";
import { batchedArrayReads } from "../db/read-batcher.js";
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
  const hashes = candidates.map(sha256Hex);
  const rows = await tokenReaderOf(db)(hashes);
  // The token as presented wins over its decoded form.
  for (const hash of hashes) {
    const row = rows.find((candidate) => candidate.token_hash === hash);
    if (!row) continue;
    const { token_expires_at: expiresAt, token_hash: _, ...subscription } = row;
    if (expiresAt <= toStored(now)) return { found: false, reason: "expired" };
    return { found: true, subscription };
  }
  return { found: false, reason: "unknown" };
}

type TokenTables = Database & { t: Database["purchase_tokens"]; s: Database["subscriptions"] };
type TokenRow = WireSubscriptionRow & { token_hash: string; token_expires_at: string };

const tokenReaders = new WeakMap<Kysely<Database>, (hashes: readonly string[]) => Promise<TokenRow[]>>();

/**
 * Reads tokens with their subscriptions by hash. On PostgreSQL the reads of one turn of the event loop
 * are one query (`token_hash = any($1)`, see db/read-batcher.ts); SQLite reads each at once, in process.
 */
function tokenReaderOf(db: Kysely<Database>) {
  let reader = tokenReaders.get(db);
  if (reader) return reader;
  const query = (condition: (eb: ExpressionBuilder<TokenTables, "t" | "s">) => Expression<SqlBool>) =>
    db
      .selectFrom("purchase_tokens as t")
      .innerJoin("subscriptions as s", "s.id", "t.subscription_id")
      .select(wireSubscriptionColumns.map((column) => `s.${column}` as const))
      .select(["t.token_hash", "t.expires_at as token_expires_at"])
      .where(condition);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    reader = batchedArrayReads<Database, TokenRow>(
      db,
      query(() => sql<SqlBool>`t.token_hash = any(${sql.val("hashes")})`).compile(),
      (row) => row.token_hash,
    );
  } else {
    reader = async (hashes) => {
      const found: TokenRow[] = [];
      for (const hash of hashes) {
        found.push(
          ...(await runPrepared<Database, TokenRow>(
            db,
            "landing token with its subscription",
            [hash],
            (marker) => query((eb) => eb("t.token_hash", "=", marker(0))).compile(),
          )),
        );
      }
      return found;
    };
  }
  tokenReaders.set(db, reader);
  return reader;
}

/** Appends `token=<url-encoded token>` to the landing page URL, keeping any query it already has. */
export function landingPageUrlWithToken(landingPageUrl: string, token: string): string {
  const url = new URL(landingPageUrl);
  url.searchParams.append("token", token);
  return url.toString();
}
