import { type LookupAddress, lookup } from "node:dns";
import type { LookupFunction } from "node:net";

interface Entry {
  expiresAt: number;
  result: Promise<LookupAddress[]>;
}

/**
 * A `lookup` for outgoing webhook connections that remembers answers (60 s) and failures (10 s) and
 * shares one lookup among concurrent calls for the same host. The system resolver runs on libuv's small
 * thread pool, and an unresolvable host can take hundreds of milliseconds per lookup: without this, a
 * publisher with a wrong webhook URL would queue a lookup per retry and slow every other delivery.
 */
export function cachedLookup(
  now: () => number = Date.now,
  ttlMs = 60_000,
  failureTtlMs = 10_000,
): LookupFunction {
  const entries = new Map<string, Entry>();
  const resolve = (hostname: string): Promise<LookupAddress[]> => {
    const cached = entries.get(hostname);
    if (cached && cached.expiresAt > now()) return cached.result;
    const result = new Promise<LookupAddress[]>((done, fail) =>
      lookup(hostname, { all: true }, (error, addresses) => (error ? fail(error) : done(addresses))),
    );
    const entry: Entry = { expiresAt: Number.POSITIVE_INFINITY, result };
    entries.set(hostname, entry);
    result.then(
      () => {
        entry.expiresAt = now() + ttlMs;
      },
      () => {
        entry.expiresAt = now() + failureTtlMs;
      },
    );
    if (entries.size > 1000) entries.delete(entries.keys().next().value as string);
    return result;
  };
  return ((hostname: string, options: { all?: boolean; family?: number | string }, callback: never) => {
    const reply = callback as unknown as (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    resolve(hostname).then(
      (addresses) => {
        const wanted = Number(options?.family) || 0;
        const usable = wanted ? addresses.filter((address) => address.family === wanted) : addresses;
        if (options?.all) return reply(null, usable);
        const first = usable[0];
        if (!first) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
          return reply(error, "");
        }
        reply(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => reply(error, options?.all ? [] : ""),
    );
  }) as LookupFunction;
}
