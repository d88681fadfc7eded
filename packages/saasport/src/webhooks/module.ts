import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { cachedCatalogReader } from "../catalog/cached-reader.js";
import { createCatalogReader } from "../catalog/repository.js";
import type { AppContext } from "../http/context.js";
import type { BackgroundWorker, HttpModule } from "../http/module.js";
import { requireOperator } from "../http/operator-auth.js";
import { partnerScope } from "../http/partner-auth.js";
import { createTokenSigner } from "../identity/token-signer.js";
import { createDeliveryQueries } from "./deliveries-query.js";
import { createDeliveryStore } from "./delivery-store.js";
import { createDispatcher } from "./dispatcher.js";
import { registerOperatorDeliveryRoutes } from "./routes/operator-deliveries.js";
import { registerPartnerDeliveryRoutes } from "./routes/partner-deliveries.js";
import { registerPartnerSecretRoutes } from "./routes/partner-secrets.js";
import { createWebhookSender } from "./sender.js";
import { createWebhookSecretStore } from "./webhook-secrets.js";
import { createWebhookTokens } from "./webhook-token.js";

/**
 * Webhook delivery: the dispatcher that carries the outbox to each publisher's connection webhook
 * (signed JWT, optional HMAC signature, retries with backoff, per-subscription order), the partner
 * routes for the delivery log, redelivery and signing secrets, and the operator's view of deliveries.
 */
export const webhooksModule: HttpModule = {
  name: "webhooks",
  register: registerWebhooks,
};

async function registerWebhooks(app: FastifyInstance, ctx: AppContext): Promise<BackgroundWorker> {
  const catalog = cachedCatalogReader(createCatalogReader(ctx.db));
  const secrets = createWebhookSecretStore(ctx.db);
  const queries = createDeliveryQueries(ctx.db);
  const tokens = createWebhookTokens({
    signer: createTokenSigner({ db: ctx.db, clock: ctx.clock }),
    clock: ctx.clock,
    baseUrl: () => ctx.baseUrl,
  });

  const partnerAuth = {
    publisherAuth: ctx.publisherAuth,
    operatorKeyHash: ctx.operatorKeyHash,
    publisherExists: async (publisherId: string) => (await catalog.getPublisher(publisherId)) !== undefined,
  };
  await partnerScope(app, partnerAuth, (scope) => {
    const partner = scope.withTypeProvider<TypeBoxTypeProvider>();
    registerPartnerDeliveryRoutes(partner, {
      queries,
      clock: ctx.clock,
      deliveriesQueued: () => ctx.signals.deliveriesQueued(),
    });
    registerPartnerSecretRoutes(partner, { secrets, clock: ctx.clock });
  });
  registerOperatorDeliveryRoutes(
    app.withTypeProvider<TypeBoxTypeProvider>(),
    queries,
    requireOperator(ctx.operatorKeyHash),
  );

  return createDispatcher({
    store: createDeliveryStore(ctx.db, ctx.dialect),
    clock: ctx.clock,
    signals: ctx.signals,
    log: ctx.log,
    timeoutMs: ctx.settings.lifecycle.webhookTimeoutMs,
    listeners: () => ctx.deliveryListeners,
    attempt: {
      clock: ctx.clock,
      lifecycle: ctx.settings.lifecycle,
      sender: createWebhookSender(),
      publisher: (publisherId) => catalog.getPublisher(publisherId),
      token: (publisher) => tokens.tokenFor(publisher),
      signingSecrets: (publisherId) => secrets.signingSecrets(publisherId),
      faults: () => ctx.webhookFaults,
    },
  });
}
