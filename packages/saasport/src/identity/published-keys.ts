import { createPublicKey, type KeyObject } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { listPublishedKeys } from "./signing-keys.js";

/** Saasport's own published keys, for verifying tokens it issued. */
export interface PublishedKeyStore {
  /** The public key for `kid` if it is published at `now`; an unknown kid triggers at most one reload. */
  find(kid: string, now: Date): Promise<KeyObject | undefined>;
  /** Forgets the loaded keys (after a rotation in this process). */
  invalidate(): void;
}

export interface PublishedKeyStoreDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Keys are re-read at least this often, so retirements on other nodes are noticed. */
  refreshMs?: number;
  /** After a reload that still did not find a kid, unknown kids do not reload again for this long. */
  missCooldownMs?: number;
}

interface LoadedKey {
  key: KeyObject;
  publishedUntil: Date | undefined;
}

export function createPublishedKeyStore(deps: PublishedKeyStoreDeps): PublishedKeyStore {
  const refreshMs = deps.refreshMs ?? 5 * 60_000;
  const missCooldownMs = deps.missCooldownMs ?? 5_000;
  let keys = new Map<string, LoadedKey>();
  let loadedAtMs = Number.NEGATIVE_INFINITY;
  let lastMissMs = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  function reload(): Promise<void> {
    loading ??= listPublishedKeys(deps.db, deps.clock.now())
      .then((published) => {
        keys = new Map(
          published.map(({ kid, jwk, publishedUntil }) => [
            kid,
            {
              key: createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" }),
              publishedUntil,
            },
          ]),
        );
        loadedAtMs = Date.now();
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  function usable(kid: string, now: Date): KeyObject | undefined {
    const loaded = keys.get(kid);
    if (!loaded) return undefined;
    return loaded.publishedUntil === undefined || loaded.publishedUntil > now ? loaded.key : undefined;
  }

  return {
    async find(kid, now) {
      if (Date.now() - loadedAtMs >= refreshMs) await reload();
      if (keys.has(kid)) return usable(kid, now);
      // A kid nobody has seen is either a key rotated in on another node or garbage; garbage must not
      // turn every request into a database read, hence the cooldown after a fruitless reload.
      if (Date.now() - lastMissMs < missCooldownMs) return undefined;
      await reload();
      if (!keys.has(kid)) lastMissMs = Date.now();
      return usable(kid, now);
    },
    invalidate() {
      loadedAtMs = Number.NEGATIVE_INFINITY;
      lastMissMs = Number.NEGATIVE_INFINITY;
    },
  };
}
