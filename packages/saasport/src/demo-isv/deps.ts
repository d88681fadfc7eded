import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../clock/clock.js";
import type { FormTokens } from "./form-tokens.js";
import type { DemoIsvLog } from "./log-repository.js";
import type { MarketplaceClient } from "./marketplace-client.js";
import type { PublisherApp, PublisherApps } from "./publisher-apps.js";
import type { WebhookTokenVerifier } from "./webhook-token.js";

export interface DemoIsvDeps {
  apps: PublisherApps;
  marketplace: MarketplaceClient;
  webhookTokens: WebhookTokenVerifier;
  log: DemoIsvLog;
  forms: FormTokens;
  clock: Clock;
  logger: FastifyBaseLogger;
}

export type PublisherParams = { publisherId: string };

export const frameFor = (app: PublisherApp, title: string) => ({
  title,
  publisher: { id: app.publisherId, displayName: app.displayName },
});
