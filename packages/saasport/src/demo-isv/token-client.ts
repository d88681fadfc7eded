import type { Clock } from "../clock/clock.js";
import type { HttpClient } from "./http-client.js";
import { marketplaceAppId } from "./marketplace-app-id.js";
import type { PublisherApp } from "./publisher-apps.js";

/** The token endpoint refused or could not be reached; `status` is 0 when no answer arrived. */
export class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "TokenRequestError";
  }
}

export interface TokenClient {
  /** A bearer token for the Fulfillment API, from the cache while it has more than a few minutes left. */
  tokenFor(app: PublisherApp): Promise<string>;
  /** Forgets a token the API refused (revoked secret, rotated key), so the next call gets a fresh one. */
  forget(app: PublisherApp): void;
}

export interface TokenClientDeps {
  http: HttpClient;
  clock: Clock;
  baseUrl: () => string;
}

/** Tokens are renewed this long before they expire, so a request never starts with an expiring token. */
const renewBeforeMs = 5 * 60 * 1000;

/** Client credentials against Saasport's Entra-compatible v2 token endpoint. */
export function createTokenClient(deps: TokenClientDeps): TokenClient {
  const cache = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  const keyOf = (app: PublisherApp) => `${deps.baseUrl()}|${app.tenantId}|${app.clientId}`;

  async function request(app: PublisherApp) {
    const url = `${deps.baseUrl()}/${encodeURIComponent(app.tenantId)}/oauth2/v2.0/token`;
    let answer: Awaited<ReturnType<HttpClient>>;
    try {
      answer = await deps.http({
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: app.clientId,
          client_secret: app.clientSecret,
          scope: `${marketplaceAppId}/.default`,
        }).toString(),
      });
    } catch (error) {
      throw new TokenRequestError(0, `The token endpoint could not be reached: ${(error as Error).message}`);
    }
    const body = parseObject(answer.text);
    const token = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (answer.status !== 200 || typeof token !== "string" || !Number.isFinite(expiresIn)) {
      const description = typeof body?.error_description === "string" ? body.error_description : answer.text;
      throw new TokenRequestError(answer.status, `The token endpoint refused: ${description.slice(0, 500)}`);
    }
    return { token, expiresAt: deps.clock.now().getTime() + expiresIn * 1000 };
  }

  return {
    async tokenFor(app) {
      const key = keyOf(app);
      const cached = cache.get(key);
      if (cached) {
        const entry = await cached.catch(() => undefined);
        if (entry && entry.expiresAt - renewBeforeMs > deps.clock.now().getTime()) return entry.token;
        if (cache.get(key) === cached) cache.delete(key);
      }
      // Concurrent callers share one request.
      const pending = cache.get(key) ?? request(app);
      cache.set(key, pending);
      try {
        return (await pending).token;
      } catch (error) {
        if (cache.get(key) === pending) cache.delete(key);
        throw error;
      }
    },
    forget(app) {
      cache.delete(keyOf(app));
    },
  };
}

export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
