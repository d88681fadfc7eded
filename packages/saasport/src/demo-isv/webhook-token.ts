import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Clock } from "../clock/clock.js";
import type { HttpClient } from "./http-client.js";
import type { PublisherApp } from "./publisher-apps.js";
import { parseObject } from "./token-client.js";
import { webhookClaimProblems } from "./webhook-claims.js";

export type WebhookTokenCheck =
  | { outcome: "valid"; claims: Record<string, unknown> }
  /** The token is missing, forged, expired or meant for someone else: answer 401. */
  | { outcome: "invalid"; reason: string }
  /** The signing keys could not be fetched: nothing is proven, answer 503 so the call is retried. */
  | { outcome: "unavailable"; reason: string };

export interface WebhookTokenVerifier {
  verify(authorization: string | undefined, app: PublisherApp): Promise<WebhookTokenCheck>;
}

export interface WebhookTokenVerifierDeps {
  http: HttpClient;
  clock: Clock;
  baseUrl: () => string;
}

/**
 * Verifies webhook bearer tokens as Microsoft's SaaS Accelerator does, with the authority host pointed
 * at Saasport: the signing keys come from the publisher tenant's OpenID Connect discovery document.
 */
export function createWebhookTokenVerifier(deps: WebhookTokenVerifierDeps): WebhookTokenVerifier {
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  const fetchThroughClient = async (url: string) => {
    const answer = await deps.http({ method: "GET", url, headers: { accept: "application/json" } });
    return new Response(answer.text, {
      status: answer.status,
      headers: { "content-type": answer.headers["content-type"] ?? "application/json" },
    });
  };

  async function discoverKeys(tenantId: string): Promise<JWTVerifyGetKey> {
    const discovery = `${deps.baseUrl()}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
    const answer = await deps.http({ method: "GET", url: discovery });
    const jwksUri = parseObject(answer.text)?.jwks_uri;
    if (answer.status !== 200 || typeof jwksUri !== "string")
      throw new Error(
        `the discovery document ${discovery} answered HTTP ${answer.status} without a jwks_uri`,
      );
    return createRemoteJWKSet(new URL(jwksUri), {
      [customFetch]: (url: string) => fetchThroughClient(url),
    });
  }

  function keysFor(tenantId: string): Promise<JWTVerifyGetKey> {
    const key = `${deps.baseUrl()}|${tenantId}`;
    let keys = keySets.get(key);
    if (!keys) {
      keys = discoverKeys(tenantId);
      keySets.set(key, keys);
      keys.catch(() => keySets.delete(key));
    }
    return keys;
  }

  return {
    async verify(authorization, app) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "");
      const token = match?.[1];
      if (!token) return { outcome: "invalid", reason: "no Bearer token in the Authorization header" };
      let keys: JWTVerifyGetKey;
      try {
        keys = await keysFor(app.tenantId);
      } catch (error) {
        return { outcome: "unavailable", reason: `signing keys unavailable: ${(error as Error).message}` };
      }
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: ["RS256"],
          clockTolerance: 0,
          currentDate: deps.clock.now(),
          requiredClaims: ["exp"],
        });
        const problems = webhookClaimProblems(payload, app);
        if (problems.length > 0) return { outcome: "invalid", reason: problems.join("; ") };
        return { outcome: "valid", claims: payload };
      } catch (error) {
        // Errors outside jose's own are failed key fetches, not bad tokens.
        if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError))
          return { outcome: "unavailable", reason: `signing keys unavailable: ${(error as Error).message}` };
        return { outcome: "invalid", reason: (error as Error).message };
      }
    },
  };
}
