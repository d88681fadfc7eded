import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { type AccessTokenVersion, accessTokenClaims } from "./access-token-claims.js";
import { authenticateClient } from "./client-authentication.js";
import { audienceFor, checkClientCredentialsScope, isMarketplaceResource } from "./marketplace-resource.js";
import type { PublisherDirectory } from "./publisher-directory.js";
import { isGuid } from "./service-principal.js";
import { tokenErrors } from "./token-errors.js";
import type { PresentedCredentials } from "./token-request.js";
import type { SignedToken, TokenSigner } from "./token-signer.js";

export type TokenEndpointVersion = 1 | 2;

export interface TokenEndpointRequest {
  endpoint: TokenEndpointVersion;
  /** The `{tenant}` path segment as sent. */
  tenant: string;
  form: Record<string, string>;
  /** The client's id and credentials, from the form or an HTTP Basic header (`presentedCredentials`). */
  credentials: PresentedCredentials;
  /** Token endpoint URLs a client assertion may name as its audience (lower case). */
  assertionAudiences: readonly string[];
}

export interface V1TokenResponse {
  token_type: "Bearer";
  expires_in: string;
  ext_expires_in: string;
  expires_on: string;
  not_before: string;
  resource: string;
  access_token: string;
}

export interface V2TokenResponse {
  token_type: "Bearer";
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

export interface TokenServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  wallClock: Clock;
  directory: Pick<PublisherDirectory, "hasTenant" | "findPublisherByApp">;
  signer: Pick<TokenSigner, "signAccessToken">;
  accessTokenVersion: AccessTokenVersion;
  /** Also issue tokens for the legacy marketplace resource id (spec §10.24). */
  acceptLegacyResource: boolean;
  baseUrl: () => string;
}

/** The client-credentials grant of both Entra token endpoints. Throws TokenEndpointError. */
export async function issueToken(
  deps: TokenServiceDeps,
  request: TokenEndpointRequest,
): Promise<V1TokenResponse | V2TokenResponse> {
  const grantType = request.form.grant_type;
  if (!grantType) throw tokenErrors.missingParameter("grant_type");
  if (grantType !== "client_credentials") throw tokenErrors.unsupportedGrantType(grantType);

  const tenantId = request.tenant.toLowerCase();
  if (!isGuid(tenantId) || !(await deps.directory.hasTenant(tenantId)))
    throw tokenErrors.tenantNotFound(request.tenant);

  const credentials = request.credentials;
  if (!credentials.clientId) throw tokenErrors.missingParameter("client_id");
  const publisher = await deps.directory.findPublisherByApp(tenantId, credentials.clientId);
  if (!publisher) throw tokenErrors.applicationNotFound(credentials.clientId, tenantId);

  const resource = requestedResource(request.endpoint, request.form, tenantId, deps.acceptLegacyResource);
  const credential = await authenticateClient(deps.db, {
    publisherId: publisher.id,
    appId: publisher.appId,
    credentials,
    assertionAudiences: request.assertionAudiences,
    now: deps.clock.now(),
    wallTime: deps.wallClock.now(),
  });

  const signed = await deps.signer.signAccessToken(
    accessTokenClaims({
      version: deps.accessTokenVersion,
      tenantId: publisher.tenantId,
      appId: publisher.appId,
      credential,
      authorityBaseUrl: deps.baseUrl(),
      audience: audienceFor(resource),
    }),
  );
  return request.endpoint === 1 ? v1Response(signed, resource) : v2Response(signed);
}

/** v1 names the resource in `resource=`; v2 in a `<resource>/.default` scope. Returns the resource as sent. */
function requestedResource(
  endpoint: TokenEndpointVersion,
  form: Record<string, string>,
  tenantId: string,
  acceptLegacy: boolean,
): string {
  if (endpoint === 1) {
    const resource = form.resource;
    if (!resource) throw tokenErrors.missingParameter("resource");
    if (!isMarketplaceResource(resource, acceptLegacy))
      throw tokenErrors.resourceNotFound(resource, tenantId);
    return resource;
  }
  const scope = form.scope;
  if (!scope) throw tokenErrors.missingParameter("scope");
  const check = checkClientCredentialsScope(scope, acceptLegacy);
  if (check.ok) return check.resource;
  switch (check.reason) {
    case "notDefault":
      throw tokenErrors.scopeNotDefault(check.scope);
    case "unknownResource":
      throw tokenErrors.resourceNotFound(check.scope.replace(/\/\.default$/i, ""), tenantId);
    default:
      throw tokenErrors.scopeInvalid(check.scope);
  }
}

/** Entra reports a lifetime one second short of the token's, as numbers in strings on v1. */
function secondsLeft(signed: SignedToken): number {
  return (signed.expiresAt.getTime() - signed.issuedAt.getTime()) / 1000 - 1;
}

function v1Response(signed: SignedToken, resource: string): V1TokenResponse {
  const expiresIn = String(secondsLeft(signed));
  return {
    token_type: "Bearer",
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    expires_on: String(signed.expiresAt.getTime() / 1000),
    not_before: String(signed.notBefore.getTime() / 1000),
    resource,
    access_token: signed.token,
  };
}

function v2Response(signed: SignedToken): V2TokenResponse {
  return {
    token_type: "Bearer",
    expires_in: secondsLeft(signed),
    ext_expires_in: secondsLeft(signed),
    access_token: signed.token,
  };
}
