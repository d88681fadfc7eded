import type { FastifyRequest } from "fastify";

/** The publisher an incoming /api or /partner call acts for, established from its bearer token. */
export interface PublisherPrincipal {
  publisherId: string;
  tenantId: string;
  appId: string;
}

export interface PublisherAuthenticator {
  /**
   * Verifies the request's bearer token and maps (`tid`, `appid`|`azp`) to a publisher.
   * Throws ApiError `Unauthorized` (status from `fidelity.authFailureStatus`) for a missing, malformed,
   * expired, wrongly signed or wrong-audience token, and `Forbidden` (403) for a valid token whose
   * tenant/app pair belongs to no publisher.
   * With `noAuth` (or `settings.noAuth`) a request without a usable token is served as in no-auth
   * development mode (see no-auth.ts).
   */
  authenticate(request: FastifyRequest, options?: { noAuth?: boolean }): Promise<PublisherPrincipal>;
}
