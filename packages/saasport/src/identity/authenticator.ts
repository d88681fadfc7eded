import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import type { JWTVerifyGetKey } from "jose";
import type { Kysely } from "kysely";
import { type Clock, systemClock } from "../clock/clock.js";
import type { Settings } from "../config/settings.js";
import type { Database } from "../db/tables.js";
import { ApiError } from "../http/errors.js";
import { bearerOf } from "../http/operator-auth.js";
import {
  type BearerVerifier,
  createBearerVerifier,
  InvalidBearerToken,
  remoteJwks,
  type VerifiedCaller,
} from "./bearer-verification.js";
import { noAuthPrincipal } from "./no-auth.js";
import type { PublisherAuthenticator, PublisherPrincipal } from "./principal.js";
import { createPublishedKeyStore, type PublishedKeyStore } from "./published-keys.js";
import { createPublisherDirectory, type PublisherDirectory } from "./publisher-directory.js";
import { createVerifiedTokenCache, type VerifiedTokenCache } from "./verified-token-cache.js";

export interface PublisherAuthenticatorDeps {
  db: Kysely<Database>;
  settings: Pick<Settings, "noAuth" | "trustedJwksUri" | "fidelity">;
  clock: Clock;
  /** This server's base URL (known once it listens), for the v2 issuer of its own tokens. */
  baseUrl: () => string;
  log?: Pick<FastifyBaseLogger, "debug">;
  directory?: PublisherDirectory;
  keys?: PublishedKeyStore;
  /** Overrides the remote JWKS built from settings.trustedJwksUri. */
  trustedJwks?: JWTVerifyGetKey;
  wallClock?: Clock;
}

/**
 * Verifies `Authorization: Bearer` tokens on /api and /partner calls and maps (tid, appid|azp) to the
 * publisher whose technical configuration has that pair.
 */
export function createPublisherAuthenticator(deps: PublisherAuthenticatorDeps): PublisherAuthenticator {
  const directory = deps.directory ?? createPublisherDirectory(deps.db);
  const wallClock = deps.wallClock ?? systemClock;
  const verifier: BearerVerifier = createBearerVerifier({
    keys: deps.keys ?? createPublishedKeyStore({ db: deps.db, clock: deps.clock }),
    clock: deps.clock,
    wallClock,
    baseUrl: deps.baseUrl,
    trustedJwks: deps.trustedJwks ?? remoteJwks(deps.settings.trustedJwksUri),
    acceptLegacyResource: deps.settings.fidelity.legacyResourceId === "accept",
  });
  const cache: VerifiedTokenCache<VerifiedCaller> = createVerifiedTokenCache();
  const failureStatus = deps.settings.fidelity.authFailureStatus;

  const timeOf = (caller: VerifiedCaller) =>
    caller.signedBy === "saasport" ? deps.clock.now() : wallClock.now();

  async function verifyCached(token: string): Promise<VerifiedCaller | undefined> {
    const cached = cache.get(token, (caller) => caller.expiresAt > timeOf(caller));
    if (cached) return cached;
    try {
      const caller = await verifier(token);
      cache.set(token, caller);
      return caller;
    } catch (error) {
      if (!(error instanceof InvalidBearerToken)) throw error;
      deps.log?.debug({ reason: error.reason }, "bearer token rejected");
      return undefined;
    }
  }

  return {
    async authenticate(request: FastifyRequest, options?: { noAuth?: boolean }): Promise<PublisherPrincipal> {
      const noAuth = deps.settings.noAuth || options?.noAuth === true;
      const token = bearerOf(request);
      const caller = token === undefined ? undefined : await verifyCached(token);
      if (caller) {
        const publisher = await directory.findPublisherByApp(caller.tenantId, caller.appId);
        if (publisher)
          return { publisherId: publisher.id, tenantId: publisher.tenantId, appId: publisher.appId };
        if (!noAuth) throw new ApiError("Forbidden");
      }
      if (noAuth) return noAuthPrincipal(request, directory, failureStatus);
      throw new ApiError("Unauthorized", undefined, { status: failureStatus });
    },
  };
}
