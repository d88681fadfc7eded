/**
 * Bearer tokens already verified, keyed by the token string, kept while they are live. Every /api call
 * carries a token and most carry the same one for an hour, so this spares a signature check per call.
 * Bounded: when full, the oldest entry goes.
 */
export interface VerifiedTokenCache<T> {
  /** The cached value while `isLive` says it has not expired; expired entries are dropped. */
  get(token: string, isLive: (value: T) => boolean): T | undefined;
  set(token: string, value: T): void;
}

export function createVerifiedTokenCache<T>(maxEntries = 10_000): VerifiedTokenCache<T> {
  const entries = new Map<string, T>();
  return {
    get(token, isLive) {
      const value = entries.get(token);
      if (value === undefined) return undefined;
      if (isLive(value)) return value;
      entries.delete(token);
      return undefined;
    },
    set(token, value) {
      entries.delete(token);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      entries.set(token, value);
    },
  };
}
