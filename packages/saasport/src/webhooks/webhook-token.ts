import type { Publisher } from "../catalog/model.js";
import type { Clock } from "../clock/clock.js";
import { v2Issuer } from "../identity/issuers.js";
import { marketplaceResourceId } from "../identity/marketplace-resource.js";
import { servicePrincipalObjectId } from "../identity/service-principal.js";
import type { TokenSigner } from "../identity/token-signer.js";

const lifetimeSeconds = 3600;
/** A cached token is replaced this long before it expires, so no receiver sees one about to lapse. */
const renewBeforeExpiryMs = 5 * 60_000;

/**
 * The claims of the app-only v2 token Entra issues when the marketplace calls a publisher's webhook
 * (spec §2.2): audience the publisher's app, tenant the publisher's, authorised party the marketplace.
 * Saasport issues it for the tenant on its own authority host, so it verifies against Saasport's
 * discovery document and JWKS.
 */
export function webhookTokenClaims(
  publisher: Pick<Publisher, "tenantId" | "appId">,
  authorityBaseUrl: string,
) {
  const tid = publisher.tenantId.toLowerCase();
  const oid = servicePrincipalObjectId(tid, marketplaceResourceId);
  return {
    payload: {
      tid,
      oid,
      azp: marketplaceResourceId,
      azpacr: "1",
      appid: marketplaceResourceId,
      idtyp: "app",
      ver: "2.0",
    },
    options: {
      audience: publisher.appId.toLowerCase(),
      issuer: v2Issuer(authorityBaseUrl, tid),
      subject: oid,
      lifetimeSeconds,
    },
  };
}

export interface WebhookTokens {
  /** A bearer token for the publisher's webhook, reused until shortly before it expires. */
  tokenFor(publisher: Publisher): Promise<string>;
}

export function createWebhookTokens(deps: {
  signer: Pick<TokenSigner, "signJwt">;
  clock: Clock;
  baseUrl: () => string;
}): WebhookTokens {
  const cache = new Map<string, { token: string; renewAtMs: number }>();
  const signing = new Map<string, Promise<string>>();
  return {
    async tokenFor(publisher) {
      const authority = deps.baseUrl();
      const key = `${publisher.id}\u0000${publisher.tenantId}\u0000${publisher.appId}\u0000${authority}`;
      const cached = cache.get(key);
      if (cached && deps.clock.now().getTime() < cached.renewAtMs) return cached.token;
      let pending = signing.get(key);
      if (!pending) {
        const { payload, options } = webhookTokenClaims(publisher, authority);
        pending = deps.signer
          .signJwt(payload, options)
          .then((signed) => {
            cache.set(key, {
              token: signed.token,
              renewAtMs: signed.expiresAt.getTime() - renewBeforeExpiryMs,
            });
            return signed.token;
          })
          .finally(() => signing.delete(key));
        signing.set(key, pending);
      }
      return pending;
    },
  };
}
