import type { Kysely } from "kysely";
import type { Clock } from "../../clock/clock.js";
import type { Database } from "../../db/tables.js";

/** What the catalog's services need: the database, the clock, and the server's base URL. */
export interface CatalogServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Absolute base URL of this server; replaces `${SAASPORT_URL}` in URLs sent to the API. */
  baseUrl(): string;
}
