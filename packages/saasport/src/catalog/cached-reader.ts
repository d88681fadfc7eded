import type { CatalogReader } from "./repository.js";

/**
 * Catalog changes made by this process bump the generation, so its own caches never serve an entry
 * older than its last write. Other processes sharing the database see a change within the TTL.
 */
let generation = 0;

export function catalogChanged(): void {
  generation++;
}

const cachedMethods = ["getPublisher", "findPublisherByApp", "getOffer", "getPlan", "listPlans"] as const;

/**
 * The catalog is read on every marketplace call (the caller's publisher, the subscription's offer and
 * plans) and changes rarely; this keeps those answers for a short while instead of querying each time.
 */
export function cachedCatalogReader(reader: CatalogReader, ttlMs = 1000, capacity = 10_000): CatalogReader {
  const entries = new Map<string, { value: unknown; generation: number; expiresAt: number }>();
  const cached = { ...reader };
  for (const method of cachedMethods) {
    const load = reader[method] as (...args: string[]) => Promise<unknown>;
    (cached as Record<string, unknown>)[method] = async (...args: string[]) => {
      const key = `${method}\u0000${args.join("\u0000")}`;
      const hit = entries.get(key);
      const now = Date.now();
      if (hit && hit.generation === generation && hit.expiresAt > now) return hit.value;
      const seenGeneration = generation;
      const value = await load(...args);
      if (entries.size >= capacity) entries.clear();
      entries.set(key, { value, generation: seenGeneration, expiresAt: now + ttlMs });
      return value;
    };
  }
  return cached;
}
