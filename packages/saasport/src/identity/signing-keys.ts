import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, SigningKeyTable } from "../db/tables.js";
import { toStored } from "../db/time.js";
import { accessTokenLifetimeSeconds } from "./access-token-claims.js";
import { generateSigningKey, type PublishedJwk } from "./signing-key-generation.js";

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: PublishedJwk;
}

export interface SigningKeySummary {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  publishedUntil: string | null;
  active: boolean;
}

/** How long signers may keep using a key they cached before noticing a rotation (see token-signer.ts). */
export const signerKeyCacheMs = 30_000;

/**
 * A retired key stays published until every token it signed has expired: the token lifetime, plus the
 * signer cache (other nodes keep signing with it that long), plus the verifiers' clock skew, rounded up.
 */
export const retiredKeyMarginSeconds = 10 * 60;

const lockKey = "identity.signing-keys.lock";

function toSigningKey(
  row: Pick<Selectable<SigningKeyTable>, "kid" | "private_key_pem" | "public_jwk">,
): SigningKey {
  return {
    kid: row.kid,
    privateKeyPem: row.private_key_pem,
    publicJwk: JSON.parse(row.public_jwk) as PublishedJwk,
  };
}

/** The key new tokens are signed with: the newest one not retired. */
export async function findActiveSigningKey(db: Kysely<Database>): Promise<SigningKey | undefined> {
  const row = await db
    .selectFrom("signing_keys")
    .select(["kid", "private_key_pem", "public_jwk"])
    .where("retired_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("kid", "desc")
    .executeTakeFirst();
  return row && toSigningKey(row);
}

/**
 * Serialises key changes across processes sharing one database: the upsert row-locks the meta row on
 * PostgreSQL until commit, and takes SQLite's write lock, so a second starter waits and then sees the
 * first one's key.
 */
async function lockSigningKeys(trx: Kysely<Database>, now: Date): Promise<void> {
  await trx
    .insertInto("meta")
    .values({ key: lockKey, value: toStored(now) })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: toStored(now) }))
    .execute();
}

/** Returns the active signing key, creating the first one when there is none. Safe to race. */
export async function ensureSigningKey(db: Kysely<Database>, now: Date): Promise<SigningKey> {
  const existing = await findActiveSigningKey(db);
  if (existing) return existing;
  const generated = await generateSigningKey(now);
  return db.transaction().execute(async (trx) => {
    await lockSigningKeys(trx, now);
    const winner = await findActiveSigningKey(trx);
    if (winner) return winner;
    await insertKey(trx, generated, now);
    return generated;
  });
}

export interface RotationResult {
  kid: string;
  retired: { kid: string; publishedUntil: string }[];
}

/**
 * Makes a new key active. The previous key is retired but stays in the JWKS until
 * retired_at + token lifetime + margin; keys past that point are deleted.
 */
export async function rotateSigningKey(db: Kysely<Database>, now: Date): Promise<RotationResult> {
  const generated = await generateSigningKey(now);
  const publishedUntil = toStored(
    new Date(now.getTime() + (accessTokenLifetimeSeconds + retiredKeyMarginSeconds) * 1000),
  );
  return db.transaction().execute(async (trx) => {
    await lockSigningKeys(trx, now);
    const retiring = await trx
      .selectFrom("signing_keys")
      .select("kid")
      .where("retired_at", "is", null)
      .execute();
    await trx
      .updateTable("signing_keys")
      .set({ retired_at: toStored(now), published_until: publishedUntil })
      .where("retired_at", "is", null)
      .execute();
    await trx.deleteFrom("signing_keys").where("published_until", "<", toStored(now)).execute();
    await insertKey(trx, generated, now);
    return { kid: generated.kid, retired: retiring.map(({ kid }) => ({ kid, publishedUntil })) };
  });
}

async function insertKey(db: Kysely<Database>, key: SigningKey, now: Date): Promise<void> {
  await db
    .insertInto("signing_keys")
    .values({
      kid: key.kid,
      private_key_pem: key.privateKeyPem,
      public_jwk: JSON.stringify(key.publicJwk),
      created_at: toStored(now),
      retired_at: null,
      published_until: null,
    })
    .execute();
}

/** Active key first, then retired ones newest first (NULL ordering differs between the databases). */
const activeFirst = sql`case when retired_at is null then 0 else 1 end`;

export interface PublishedKey {
  kid: string;
  jwk: PublishedJwk;
  /** Undefined while the key is active. */
  publishedUntil: Date | undefined;
}

/** Keys tokens may be verified with at `now`: the active key(s) and retired keys still within their window. */
export async function listPublishedKeys(db: Kysely<Database>, now: Date): Promise<PublishedKey[]> {
  const rows = await db
    .selectFrom("signing_keys")
    .select(["kid", "public_jwk", "published_until"])
    .where((where) =>
      where.or([where("retired_at", "is", null), where("published_until", ">", toStored(now))]),
    )
    .orderBy(activeFirst)
    .orderBy("created_at", "desc")
    .orderBy("kid", "desc")
    .execute();
  return rows.map((row) => ({
    kid: row.kid,
    jwk: JSON.parse(row.public_jwk) as PublishedJwk,
    publishedUntil: row.published_until === null ? undefined : new Date(row.published_until),
  }));
}

export async function listSigningKeys(db: Kysely<Database>): Promise<SigningKeySummary[]> {
  const rows = await db
    .selectFrom("signing_keys")
    .select(["kid", "created_at", "retired_at", "published_until"])
    .orderBy(activeFirst)
    .orderBy("created_at", "desc")
    .orderBy("kid", "desc")
    .execute();
  return rows.map((row) => ({
    kid: row.kid,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    publishedUntil: row.published_until,
    active: row.retired_at === null,
  }));
}
