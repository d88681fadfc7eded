import { systemClock } from "../clock/clock.js";
import type { HttpModule } from "../http/module.js";
import { registerDiscoveryRoutes } from "./discovery-routes.js";
import { registerOperatorCertificateRoutes } from "./operator-certificate-routes.js";
import { registerOperatorSecretRoutes } from "./operator-secret-routes.js";
import { registerOperatorSigningKeyRoutes } from "./operator-signing-key-routes.js";
import { registerPartnerSecretRoutes } from "./partner-secret-routes.js";
import { createPublisherDirectory } from "./publisher-directory.js";
import { createTokenFailureGuard } from "./token-failure-guard.js";
import { registerTokenRoutes } from "./token-routes.js";
import { createTokenSigner } from "./token-signer.js";

/**
 * The Entra-compatible token service (token endpoints, JWKS, OIDC discovery) and the operator routes
 * for publisher app credentials and signing keys.
 */
export const identityModule: HttpModule = {
  name: "identity",
  register(app, ctx) {
    const directory = createPublisherDirectory(ctx.db);
    const signer = createTokenSigner({ db: ctx.db, clock: ctx.clock });
    // ctx.baseUrl is only known once the server listens, so it is read per request.
    const baseUrl = () => ctx.baseUrl;

    registerTokenRoutes(app, {
      db: ctx.db,
      clock: ctx.clock,
      wallClock: systemClock,
      directory,
      signer,
      accessTokenVersion: ctx.settings.accessTokenVersion,
      acceptLegacyResource: ctx.settings.fidelity.legacyResourceId === "accept",
      baseUrl,
      failures: createTokenFailureGuard(ctx.settings.authFailures, () => ctx.clock.now().getTime()),
    });
    registerDiscoveryRoutes(app, { db: ctx.db, clock: ctx.clock, wallClock: systemClock, baseUrl });

    const operatorDeps = { db: ctx.db, clock: ctx.clock, operatorKeyHash: ctx.operatorKeyHash, directory };
    registerOperatorSecretRoutes(app, operatorDeps);
    registerOperatorCertificateRoutes(app, operatorDeps);
    registerPartnerSecretRoutes(app, { ...operatorDeps, publisherAuth: ctx.publisherAuth });
    registerOperatorSigningKeyRoutes(app, { ...operatorDeps, onRotated: () => signer.forgetCachedKey() });
    return undefined;
  },
};
