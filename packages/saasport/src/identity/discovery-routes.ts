import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { jwksV1, jwksV2 } from "./jwks.js";
import {
  discoveryTenant,
  issuerTenant,
  openIdConfigurationV1,
  openIdConfigurationV2,
} from "./openid-configuration.js";
import { listPublishedKeys } from "./signing-keys.js";
import { TokenEndpointError, tokenErrorBody } from "./token-errors.js";

export interface DiscoveryDeps {
  db: Kysely<Database>;
  clock: Clock;
  wallClock: Clock;
  baseUrl: () => string;
}

const docs = (summary: string) => ({ schema: { tags: ["Token service (Entra-compatible)"], summary } });

type TenantRequest = FastifyRequest<{ Params: { tenant: string } }>;

/** JWKS and OpenID Connect discovery under every tenant path (and common/organizations/consumers). */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: DiscoveryDeps): void {
  const withTenant =
    (send: (tenant: string, reply: FastifyReply) => Promise<FastifyReply> | FastifyReply) =>
    async (request: TenantRequest, reply: FastifyReply) => {
      const tenant = discoveryTenant(request.params.tenant);
      if (!tenant) return sendTenantNotFound(request, reply, deps);
      return send(tenant, reply);
    };

  app.get(
    "/:tenant/v2.0/.well-known/openid-configuration",
    docs("OpenID Connect discovery (v2 issuer)"),
    withTenant((tenant, reply) => sendJson(reply, openIdConfigurationV2(deps.baseUrl(), tenant), 3600)),
  );
  app.get(
    "/:tenant/.well-known/openid-configuration",
    docs("OpenID Connect discovery (v1 path, sts.windows.net issuer)"),
    withTenant((tenant, reply) => sendJson(reply, openIdConfigurationV1(deps.baseUrl(), tenant), 3600)),
  );
  app.get(
    "/:tenant/discovery/keys",
    docs("Signing keys (JWKS)"),
    withTenant(async (_tenant, reply) =>
      sendJson(reply, jwksV1(await listPublishedKeys(deps.db, deps.clock.now())), 300),
    ),
  );
  app.get(
    "/:tenant/discovery/v2.0/keys",
    docs("Signing keys (JWKS, keys carry their issuer)"),
    withTenant(async (tenant, reply) =>
      sendJson(
        reply,
        jwksV2(await listPublishedKeys(deps.db, deps.clock.now()), deps.baseUrl(), issuerTenant(tenant)),
        300,
      ),
    ),
  );
}

function sendJson(reply: FastifyReply, body: unknown, maxAgeSeconds: number): FastifyReply {
  return reply
    .header("cache-control", `max-age=${maxAgeSeconds}, private`)
    .header("access-control-allow-origin", "*")
    .type("application/json; charset=utf-8")
    .send(body);
}

function sendTenantNotFound(
  request: TenantRequest,
  reply: FastifyReply,
  deps: Pick<DiscoveryDeps, "wallClock">,
) {
  const error = new TokenEndpointError(
    400,
    "invalid_request",
    90002,
    `Tenant '${request.params.tenant}' not found. Use the tenant id (a GUID) of a Saasport publisher, or 'common'.`,
  );
  const body = tokenErrorBody(
    error,
    { traceId: request.id, correlationId: request.id },
    deps.wallClock.now(),
  );
  return reply
    .code(400)
    .type("application/json; charset=utf-8")
    .send({ ...body, error: "invalid_tenant" });
}
