import type { Clock } from "../../clock/clock.js";
import type { AuthFailureSettings } from "../../config/settings.js";
import { failureLimiterFor, retryAfterSeconds } from "../../http/failure-limiter.js";

/** Failed operator-key and publisher-credential sign-ins, limited per remote address. */
export interface FailedSignIns {
  /** Seconds the address must wait before it may try again; 0 when it may try now. */
  waitSeconds(address: string): number;
  record(address: string): void;
}

export function createFailedSignIns(settings: AuthFailureSettings, clock: Clock): FailedSignIns {
  const limiter = failureLimiterFor(settings, () => clock.now().getTime());
  return {
    waitSeconds(address) {
      const lockedMs = limiter.lockedFor(address);
      return lockedMs > 0 ? retryAfterSeconds(lockedMs) : 0;
    },
    record: (address) => limiter.recordFailure(address),
  };
}

export function tooManyFailuresMessage(seconds: number): string {
  return `Too many failed sign-ins; try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
}
