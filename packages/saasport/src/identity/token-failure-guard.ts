import type { AuthFailureSettings } from "../config/settings.js";
import { failureLimiterFor, retryAfterSeconds } from "../http/failure-limiter.js";
import { TokenEndpointError, tokenErrors } from "./token-errors.js";

/** Failed client authentications at the token endpoints, limited per client id and per remote address. */
export interface TokenFailureGuard {
  /** The 429 answer while the client id or the address is locked out, else undefined. */
  refusal(clientId: string | undefined, address: string): TokenEndpointError | undefined;
  /** Counts the error against the client id and the address when it is a failed client authentication. */
  noteError(error: unknown, clientId: string | undefined, address: string): void;
}

/** Client ids are GUIDs; a longer value is junk whose prefix is as good a key as the whole. */
const longestClientIdKey = 64;

function clientKey(clientId: string): string {
  return clientId.slice(0, longestClientIdKey).toLowerCase();
}

/** A wrong secret or assertion (invalid_client) or an app unknown in the tenant (unauthorized_client). */
function isFailedClientAuthentication(error: unknown): boolean {
  return (
    error instanceof TokenEndpointError &&
    (error.error === "invalid_client" || error.error === "unauthorized_client")
  );
}

export function createTokenFailureGuard(settings: AuthFailureSettings, now: () => number): TokenFailureGuard {
  const byClient = failureLimiterFor(settings, now);
  const byAddress = failureLimiterFor(settings, now);
  return {
    refusal(clientId, address) {
      const lockedMs = Math.max(
        clientId === undefined ? 0 : byClient.lockedFor(clientKey(clientId)),
        byAddress.lockedFor(address),
      );
      return lockedMs > 0 ? tokenErrors.lockedOut(retryAfterSeconds(lockedMs)) : undefined;
    },
    noteError(error, clientId, address) {
      if (!isFailedClientAuthentication(error)) return;
      if (clientId !== undefined) byClient.recordFailure(clientKey(clientId));
      byAddress.recordFailure(address);
    },
  };
}
