/**
 * Token endpoint errors, shaped and worded like Entra ID's (the AADSTS codes are the real ones), so
 * MSAL and @azure/identity surface them exactly as they would against login.microsoftonline.com.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "unauthorized_client"
  | "invalid_resource"
  | "invalid_scope"
  | "unsupported_grant_type"
  | "temporarily_unavailable"
  | "server_error";

export class TokenEndpointError extends Error {
  constructor(
    readonly status: 400 | 401 | 429 | 500,
    readonly error: OAuthErrorCode,
    readonly aadstsCode: number,
    message: string,
    /** Sent as `Retry-After` (throttling answers only). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "TokenEndpointError";
  }
}

const certificateDocs =
  "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";

export const tokenErrors = {
  missingParameter: (name: string) =>
    new TokenEndpointError(
      400,
      "invalid_request",
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  unsupportedGrantType: (grantType: string) =>
    new TokenEndpointError(
      400,
      "unsupported_grant_type",
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),
  tenantNotFound: (tenant: string) =>
    new TokenEndpointError(
      400,
      "invalid_request",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  applicationNotFound: (appId: string, tenant: string) =>
    new TokenEndpointError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  resourceNotFound: (resource: string, tenant: string) =>
    new TokenEndpointError(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  scopeNotDefault: (scope: string) =>
    new TokenEndpointError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  scopeInvalid: (scope: string) =>
    new TokenEndpointError(
      400,
      "invalid_scope",
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  missingCredential: () =>
    new TokenEndpointError(
      401,
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidSecret: (appId: string) =>
    new TokenEndpointError(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    ),
  expiredSecret: (appId: string) =>
    new TokenEndpointError(
      401,
      "invalid_client",
      7000222,
      `The provided client secret keys for app '${appId}' are expired. Visit the Saasport operator API to create new keys for your app (POST /operator/v1/publishers/{publisherId}/secrets), or consider using certificate credentials for added security.`,
    ),
  unsupportedAssertionType: (assertionType: string) =>
    new TokenEndpointError(
      400,
      "invalid_request",
      90014,
      `The value '${assertionType}' of the field 'client_assertion_type' is not supported; use 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.`,
    ),
  malformedAssertion: (reason: string) =>
    new TokenEndpointError(401, "invalid_client", 50027, `Invalid JWT token. ${reason}`),
  assertionClientMismatch: () =>
    new TokenEndpointError(
      401,
      "invalid_client",
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. ${certificateDocs}`,
    ),
  assertionSignature: (reason: string, thumbprint: string | undefined, appId: string) =>
    new TokenEndpointError(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - ${reason}${thumbprint ? `, Thumbprint of key used by client: '${thumbprint}'` : ""}, Register the certificate for app Id '${appId}' with POST /operator/v1/publishers/{publisherId}/certificates.]`,
    ),
  assertionTimeRange: (now: Date, notBefore: Date | undefined, expiresAt: Date) =>
    new TokenEndpointError(
      401,
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${entraInstant(now)}, assertion valid from ${entraInstant(notBefore ?? new Date(0))}, expiry time of assertion ${entraInstant(expiresAt)}. ${certificateDocs}`,
    ),
  invalidRequest: (reason: string) =>
    new TokenEndpointError(
      400,
      "invalid_request",
      90023,
      `The authentication service request isn't valid. ${reason}`,
    ),
  /**
   * Too many failed client authentications (http/failure-limiter.ts). Entra answers throttled
   * client-credentials requests with 429 and Retry-After; AADSTS50053 is its smart-lockout code, and
   * `temporarily_unavailable` tells OAuth clients that the same request may succeed later.
   */
  lockedOut: (retryAfterSeconds: number) =>
    new TokenEndpointError(
      429,
      "temporarily_unavailable",
      50053,
      `The app is temporarily locked because of too many failed client authentications from this client or address. Try again in ${retryAfterSeconds} seconds.`,
      retryAfterSeconds,
    ),
  serverError: () =>
    new TokenEndpointError(
      500,
      "server_error",
      50000,
      "There was an error issuing a token or an issue with our sign-in service.",
    ),
};

/** `2024-10-02T22:05:03.6750000Z`: .NET's round-trip format, as in Entra's messages. */
function entraInstant(instant: Date): string {
  return instant.toISOString().replace(/Z$/, "0000Z");
}

/** `2024-10-02 22:05:03Z`: the form of Entra's `timestamp` field. */
export function entraTimestamp(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export interface TokenErrorIds {
  traceId: string;
  correlationId: string;
}

export function tokenErrorBody(error: TokenEndpointError, ids: TokenErrorIds, now: Date) {
  const timestamp = entraTimestamp(now);
  return {
    error: error.error,
    error_description: `AADSTS${error.aadstsCode}: ${error.message}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.aadstsCode],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadstsCode}`,
  };
}
