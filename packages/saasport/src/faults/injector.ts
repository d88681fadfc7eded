import { performance } from "node:perf_hooks";
import { appliesTo, type FaultSubject, fires, oldestFirst } from "./decision.js";
import type { FaultTarget } from "./spec.js";
import type { FaultStore, StoredFault } from "./store.js";

export interface FaultInjector {
  /**
   * Asks the active faults of a target about a subject. The oldest matching active fault decides:
   * its seeded draw for this consultation says whether it applies; when it does, one of its
   * applications is taken and it is returned. A fault used up or cleared meanwhile hands over to the next.
   */
  decide(target: FaultTarget, subject: FaultSubject): Promise<StoredFault | undefined>;
  /** Forgets the cached list (after this process created or cleared a fault). */
  invalidate(): void;
}

/**
 * How long the list of active faults is trusted. It only spares the database a read per request
 * when no fault is set; the database stays authoritative (consultation checks the fault is still
 * active), and a fault created by another process is seen within this time.
 */
const cacheMs = 1000;

export function createFaultInjector(store: FaultStore, options: { cacheMs?: number } = {}): FaultInjector {
  const ttl = options.cacheMs ?? cacheMs;
  const cached = new Map<FaultTarget, { loadedAt: number; faults: Promise<StoredFault[]> }>();

  function activeFaults(target: FaultTarget): Promise<StoredFault[]> {
    const entry = cached.get(target);
    const now = performance.now();
    if (entry && now - entry.loadedAt < ttl) return entry.faults;
    const faults = store.list({ includeInactive: false, target }).then(oldestFirst);
    const loaded = { loadedAt: now, faults };
    // A failed read is not kept: the next request reads again.
    faults.catch(() => {
      if (cached.get(target) === loaded) cached.delete(target);
    });
    cached.set(target, loaded);
    return faults;
  }

  return {
    async decide(target, subject) {
      const faults = await activeFaults(target);
      for (const fault of faults) {
        if (!appliesTo(fault, subject)) continue;
        const n = await store.consult(fault.id);
        if (n === undefined) {
          cached.delete(target);
          continue;
        }
        if (!fires(fault.seed, n, fault.spec.probability)) return undefined;
        const taken = await store.consume(fault.id);
        if (!taken) {
          cached.delete(target);
          continue;
        }
        if (taken.remaining === 0) cached.delete(target);
        return { ...fault, ...taken, consults: n };
      }
      return undefined;
    },
    invalidate() {
      cached.clear();
    },
  };
}
