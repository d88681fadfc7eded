import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { Settings } from "../config/settings.js";
import type { Dialect } from "../db/connection.js";
import type { Database } from "../db/tables.js";
import type { PublisherAuthenticator } from "../identity/principal.js";

/** What every module gets when it registers its routes. Modules take the narrow parts they need. */
export interface AppContext {
  settings: Settings;
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  /** Absolute base URL of this server (no trailing slash). */
  baseUrl: string;
  log: FastifyBaseLogger;
  /** True once start-up is complete (catalog loaded, workers running); /healthz answers 503 before. */
  ready: boolean;
  /** SHA-256 (hex) of the operator key. */
  operatorKeyHash: string;
  /** Verifies publisher bearer tokens (for /api and /partner). */
  publisherAuth: PublisherAuthenticator;
}
