/**
 * Limits guessing of credentials: after `limit` failed attempts by one key (a client id, a remote
 * address) within `windowMs`, the key is locked out for `windowMs`, whatever it presents. State lives
 * in this process's memory only; each process of a shared database counts its own failures.
 */
export interface FailureLimitPolicy {
  /** Failed attempts within the window that lock the key out; 0 switches limiting off. */
  limit: number;
  windowMs: number;
}

export interface FailureLimiterOptions extends FailureLimitPolicy {
  /** Milliseconds since the epoch (injected so tests can move time). */
  now: () => number;
  /** Most keys tracked at once; beyond that the least recently failed key is forgotten. */
  maxKeys?: number;
}

export interface FailureLimiter {
  /** Milliseconds until the key may try again; 0 when it may try now. */
  lockedFor(key: string): number;
  /** Counts one failed attempt by the key. */
  recordFailure(key: string): void;
  /** How many keys are tracked (for tests and bounds). */
  readonly size: number;
}

interface KeyState {
  windowStart: number;
  failures: number;
  lockedUntil: number;
}

export const defaultMaxTrackedKeys = 10_000;

export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const { limit, windowMs, now } = options;
  const maxKeys = Math.max(1, options.maxKeys ?? defaultMaxTrackedKeys);
  // A Map keeps insertion order, so its first key is the one whose last failure is oldest.
  const states = new Map<string, KeyState>();

  return {
    lockedFor(key) {
      // The hot path: a key that never failed costs one lookup and no clock read.
      const state = states.get(key);
      if (state === undefined) return 0;
      const at = now();
      if (state.lockedUntil > at) return state.lockedUntil - at;
      if (at - state.windowStart >= windowMs) states.delete(key);
      return 0;
    },

    recordFailure(key) {
      if (limit <= 0) return;
      const at = now();
      const previous = states.get(key);
      states.delete(key);
      const state =
        previous === undefined || (previous.lockedUntil <= at && at - previous.windowStart >= windowMs)
          ? { windowStart: at, failures: 0, lockedUntil: 0 }
          : previous;
      state.failures += 1;
      // Failures that race in during a lockout (requests checked before it began) do not extend it.
      if (state.failures >= limit && state.lockedUntil <= at) state.lockedUntil = at + windowMs;
      states.set(key, state);
      while (states.size > maxKeys) {
        const oldest = states.keys().next().value;
        if (oldest === undefined) break;
        states.delete(oldest);
      }
    },

    get size() {
      return states.size;
    },
  };
}

/** A limiter with the configured limit and window (`SAASPORT_AUTH_FAILURE_*`). */
export function failureLimiterFor(
  settings: { limit: number; windowSeconds: number },
  now: () => number,
): FailureLimiter {
  return createFailureLimiter({ limit: settings.limit, windowMs: settings.windowSeconds * 1000, now });
}

/** Whole seconds to announce in `Retry-After` for a lockout of `milliseconds` (at least 1). */
export function retryAfterSeconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}
