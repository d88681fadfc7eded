import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { createCatalogReader } from "../catalog/repository.js";
import type { AppContext } from "../http/context.js";
import type { HttpModule } from "../http/module.js";
import { partnerScope } from "../http/partner-auth.js";
import { createPublishedKeyStore } from "../identity/published-keys.js";
import { storeAuthenticator } from "../purchases/store-auth.js";
import { type PrivateOfferRouteDeps, registerPartnerPrivateOfferRoutes } from "./partner-routes.js";
import { createPrivateOfferRepository } from "./repository.js";
import { registerStorePrivateOfferRoutes } from "./store-routes.js";

/** Private offers: publishers make them at /partner/v1, customers accept them at /store/v1. */
export const privateOffersModule: HttpModule = {
  name: "private-offers",
  register: registerPrivateOffers,
};

async function registerPrivateOffers(app: FastifyInstance, ctx: AppContext): Promise<undefined> {
  const catalog = createCatalogReader(ctx.db);
  const deps: PrivateOfferRouteDeps = {
    repository: createPrivateOfferRepository(ctx.db),
    catalog,
    clocks: ctx.clocks,
  };
  const partnerAuth = {
    publisherAuth: ctx.publisherAuth,
    operatorKeyHash: ctx.operatorKeyHash,
    publisherExists: async (publisherId: string) => (await catalog.getPublisher(publisherId)) !== undefined,
  };
  await partnerScope(app, partnerAuth, (scope) => {
    registerPartnerPrivateOfferRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), deps);
  });
  const keys = createPublishedKeyStore({ db: ctx.db, clock: ctx.clock });
  const authenticate = storeAuthenticator({ operatorKeyHash: ctx.operatorKeyHash, keys, clock: ctx.clock });
  registerStorePrivateOfferRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), deps, authenticate);
  return undefined;
}
