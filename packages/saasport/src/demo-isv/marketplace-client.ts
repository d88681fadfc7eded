import type { HttpClient } from "./http-client.js";
import type { PublisherApp } from "./publisher-apps.js";
import { parseObject, type TokenClient, TokenRequestError } from "./token-client.js";
import {
  type MarketplaceOperation,
  type MarketplaceSubscription,
  readOperation,
  readSubscription,
} from "./wire-types.js";

const apiVersion = "2018-08-31";

/**
 * A Fulfillment API call did not succeed. `status` is the API's HTTP status, 0 when no answer
 * arrived; `message` is the API's own message when it gave one.
 */
export class MarketplaceCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "MarketplaceCallError";
  }
}

export interface MarketplaceClient {
  /** Resolves a landing-page token to the id of the subscription it was issued for. */
  resolve(app: PublisherApp, marketplaceToken: string): Promise<string>;
  getSubscription(app: PublisherApp, subscriptionId: string): Promise<MarketplaceSubscription>;
  activate(app: PublisherApp, subscription: MarketplaceSubscription): Promise<void>;
  getOperation(app: PublisherApp, subscriptionId: string, operationId: string): Promise<MarketplaceOperation>;
  updateOperation(
    app: PublisherApp,
    subscriptionId: string,
    operationId: string,
    status: "Success" | "Failure",
  ): Promise<void>;
}

export interface MarketplaceClientDeps {
  http: HttpClient;
  tokens: TokenClient;
  baseUrl: () => string;
}

/** The publisher side of the SaaS Fulfillment API v2, spoken over HTTP to `{baseUrl}/api`. */
export function createMarketplaceClient(deps: MarketplaceClientDeps): MarketplaceClient {
  async function call(
    app: PublisherApp,
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Record<string, unknown> | undefined> {
    const send = async () => {
      let token: string;
      try {
        token = await deps.tokens.tokenFor(app);
      } catch (error) {
        if (error instanceof TokenRequestError) throw new MarketplaceCallError(error.status, error.message);
        throw error;
      }
      try {
        return await deps.http({
          method,
          url: `${deps.baseUrl()}/api${path}?api-version=${apiVersion}`,
          headers: {
            authorization: `Bearer ${token}`,
            ...(options.body === undefined ? {} : { "content-type": "application/json" }),
            ...options.headers,
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        });
      } catch (error) {
        throw new MarketplaceCallError(
          0,
          `The marketplace could not be reached: ${(error as Error).message}`,
        );
      }
    };
    let answer = await send();
    if (answer.status === 401) {
      deps.tokens.forget(app);
      answer = await send();
    }
    const body = answer.text ? parseObject(answer.text) : undefined;
    if (answer.status >= 200 && answer.status < 300) return body;
    const { message, code } = errorOf(body);
    throw new MarketplaceCallError(
      answer.status,
      message ?? `The marketplace answered HTTP ${answer.status}.`,
      code,
    );
  }

  const subscriptionPath = (id: string) => `/saas/subscriptions/${encodeURIComponent(id)}`;
  const operationPath = (subscriptionId: string, operationId: string) =>
    `${subscriptionPath(subscriptionId)}/operations/${encodeURIComponent(operationId)}`;

  return {
    async resolve(app, marketplaceToken) {
      const body = await call(app, "POST", "/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": marketplaceToken },
      });
      const id = body?.id;
      if (typeof id !== "string")
        throw new MarketplaceCallError(502, "Resolve answered without a subscription id.");
      return id;
    },
    async getSubscription(app, subscriptionId) {
      const subscription = readSubscription(await call(app, "GET", subscriptionPath(subscriptionId)));
      if (!subscription)
        throw new MarketplaceCallError(502, "The subscription the marketplace sent is malformed.");
      return subscription;
    },
    async activate(app, subscription) {
      await call(app, "POST", `${subscriptionPath(subscription.id)}/activate`, {
        body: {
          planId: subscription.planId,
          ...(subscription.quantity === undefined ? {} : { quantity: subscription.quantity }),
        },
      });
    },
    async getOperation(app, subscriptionId, operationId) {
      const operation = readOperation(await call(app, "GET", operationPath(subscriptionId, operationId)));
      if (!operation) throw new MarketplaceCallError(502, "The operation the marketplace sent is malformed.");
      return operation;
    },
    async updateOperation(app, subscriptionId, operationId, status) {
      await call(app, "PATCH", operationPath(subscriptionId, operationId), { body: { status } });
    },
  };
}

/** The message of any of the marketplace's error body families. */
function errorOf(body: Record<string, unknown> | undefined): { message?: string; code?: string } {
  if (!body) return {};
  const nested = body.error;
  const source = nested !== null && typeof nested === "object" ? (nested as Record<string, unknown>) : body;
  const message = typeof source.message === "string" ? source.message : undefined;
  const code = typeof source.code === "string" ? source.code : undefined;
  return { ...(message === undefined ? {} : { message }), ...(code === undefined ? {} : { code }) };
}
