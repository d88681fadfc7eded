import { v1Issuer, v2Issuer } from "./issuers.js";
import { isGuid } from "./service-principal.js";

/** Tenant-independent authorities; Entra's documents for them carry the `{tenantid}` placeholder in the issuer. */
const tenantAliases = new Set(["common", "organizations", "consumers"]);

/** The path segment discovery is served for (lower-cased), or undefined for an unusable tenant. */
export function discoveryTenant(segment: string): string | undefined {
  const tenant = segment.toLowerCase();
  return isGuid(tenant) || tenantAliases.has(tenant) ? tenant : undefined;
}

export function issuerTenant(tenant: string): string {
  return tenantAliases.has(tenant) ? "{tenantid}" : tenant;
}

const sharedFields = {
  token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
  response_modes_supported: ["query", "fragment", "form_post"],
  subject_types_supported: ["pairwise"],
  id_token_signing_alg_values_supported: ["RS256"],
  request_uri_parameter_supported: false,
  http_logout_supported: true,
  frontchannel_logout_supported: true,
  tenant_region_scope: "WW",
  cloud_instance_name: "microsoftonline.com",
  cloud_graph_host_name: "graph.windows.net",
  msgraph_host: "graph.microsoft.com",
  rbac_url: "https://pas.windows.net",
};

/** `/{tenant}/v2.0/.well-known/openid-configuration`, as Entra publishes it, with Saasport as the authority. */
export function openIdConfigurationV2(baseUrl: string, tenant: string) {
  const authority = `${baseUrl}/${tenant}`;
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    issuer: v2Issuer(baseUrl, issuerTenant(tenant)),
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    kerberos_endpoint: `${authority}/kerberos`,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    ...sharedFields,
  };
}

/** `/{tenant}/.well-known/openid-configuration` (the v1 document): sts.windows.net issuer, same keys. */
export function openIdConfigurationV1(baseUrl: string, tenant: string) {
  const authority = `${baseUrl}/${tenant}`;
  return {
    token_endpoint: `${authority}/oauth2/token`,
    jwks_uri: `${authority}/discovery/keys`,
    issuer: v1Issuer(issuerTenant(tenant)),
    authorization_endpoint: `${authority}/oauth2/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/devicecode`,
    end_session_endpoint: `${authority}/oauth2/logout`,
    check_session_iframe: `${authority}/oauth2/checksession`,
    userinfo_endpoint: `${authority}/openid/userinfo`,
    kerberos_endpoint: `${authority}/kerberos`,
    microsoft_multi_refresh_token: true,
    response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
    scopes_supported: ["openid"],
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "amr",
      "nonce",
      "email",
      "given_name",
      "family_name",
      "nickname",
    ],
    ...sharedFields,
  };
}
