import { randomUUID } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../http/errors.js";
import { TokenEndpointError, tokenErrorBody, tokenErrors } from "./token-errors.js";
import type { TokenFailureGuard } from "./token-failure-guard.js";
import { correlationIdOf, presentedCredentials, tokenFormOf } from "./token-request.js";
import { issueToken, type TokenEndpointVersion, type TokenServiceDeps } from "./token-service.js";

export interface TokenRouteDeps extends TokenServiceDeps {
  failures: TokenFailureGuard;
}

const tokenPaths: Record<TokenEndpointVersion, string> = {
  1: "/oauth2/token",
  2: "/oauth2/v2.0/token",
};

/** POST /{tenant}/oauth2/token and /{tenant}/oauth2/v2.0/token; every answer, success or error, is Entra-shaped. */
export function registerTokenRoutes(app: FastifyInstance, deps: TokenRouteDeps): void {
  for (const endpoint of [1, 2] as const) {
    app.post<{ Params: { tenant: string } }>(
      `/:tenant${tokenPaths[endpoint]}`,
      {
        // No body schema: the token service reads the form itself, so every error is Entra-shaped.
        schema: {
          tags: ["Token service (Entra-compatible)"],
          summary: `Client-credentials token, ${endpoint === 1 ? "v1 (resource=)" : "v2 (scope=<resource>/.default)"}`,
        },
        errorHandler: (error, request, reply) =>
          sendTokenError(request, reply, asTokenError(error, request), deps),
      },
      async (request, reply) => {
        const form = tokenFormOf(request);
        const credentials = presentedCredentials(form, request.headers.authorization);
        const lockedOut = deps.failures.refusal(credentials.clientId, request.ip);
        if (lockedOut) return sendTokenError(request, reply, lockedOut, deps);
        try {
          const body = await issueToken(deps, {
            endpoint,
            tenant: request.params.tenant,
            form,
            credentials,
            assertionAudiences: assertionAudiences(request, deps.baseUrl()),
          });
          setTokenHeaders(request, reply, correlationIdOf(request, form));
          return reply.code(200).send(body);
        } catch (error) {
          deps.failures.noteError(error, credentials.clientId, request.ip);
          return sendTokenError(request, reply, asTokenError(error, request), deps);
        }
      },
    );
  }
}

/**
 * The URLs of this token endpoint for the tenant, v1 and v2, both as configured and as the client
 * reached it (RFC 7523: the audience identifies the token endpoint).
 */
function assertionAudiences(
  request: FastifyRequest<{ Params: { tenant: string } }>,
  baseUrl: string,
): string[] {
  const origins = new Set([baseUrl, `${request.protocol}://${request.host}`]);
  const tenants = new Set([request.params.tenant, request.params.tenant.toLowerCase()]);
  const audiences: string[] = [];
  for (const origin of origins) {
    for (const tenant of tenants) {
      for (const path of Object.values(tokenPaths))
        audiences.push(`${origin}/${tenant}${path}`.toLowerCase());
    }
  }
  return audiences;
}

function asTokenError(error: unknown, request: FastifyRequest): TokenEndpointError {
  if (error instanceof TokenEndpointError) return error;
  // A JSON body that does not parse: Entra reads only form bodies, so to it this is a request without
  // parameters, as a JSON body that parses is.
  if (error instanceof ApiError && error.status < 500) return tokenErrors.missingParameter("grant_type");
  const status = (error as Partial<FastifyError>).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return tokenErrors.invalidRequest((error as Error).message);
  }
  request.log.error({ err: error }, "token request failed");
  return tokenErrors.serverError();
}

function setTokenHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  correlationId: string | undefined,
): void {
  reply.header("cache-control", "no-store, no-cache");
  reply.header("pragma", "no-cache");
  reply.header("x-ms-request-id", request.id);
  if (correlationId) reply.header("client-request-id", correlationId);
  reply.type("application/json; charset=utf-8");
}

function sendTokenError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: TokenEndpointError,
  deps: Pick<TokenServiceDeps, "wallClock">,
): FastifyReply {
  const sentCorrelationId = correlationIdOf(request, tokenFormOf(request));
  setTokenHeaders(request, reply, sentCorrelationId);
  if (error.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.retryAfterSeconds));
  const ids = { traceId: request.id, correlationId: sentCorrelationId ?? randomUUID() };
  return reply.code(error.status).send(tokenErrorBody(error, ids, deps.wallClock.now()));
}
