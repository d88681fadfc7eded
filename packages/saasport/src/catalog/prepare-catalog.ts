import { resolve } from "node:path";
import type { Kysely } from "kysely";
import type { Settings } from "../config/settings.js";
import type { Database } from "../db/tables.js";
import { applyCatalogWithin } from "./apply/apply-catalog.js";
import { type CatalogSource, readCatalogSource } from "./apply/provenance.js";
import { refreshPlaceholderUrls } from "./apply/refresh-urls.js";
import { demoCatalogFile, loadDemoCatalog } from "./demo-catalog.js";
import { createCatalogStore } from "./storage/store.js";
import { inCatalogTransaction } from "./storage/transaction.js";

export interface PrepareCatalogOptions {
  db: Kysely<Database>;
  settings: Pick<Settings, "catalogFile" | "demoCatalog">;
  /** The server's absolute base URL; replaces `${SAASPORT_URL}` in landing and webhook URLs. */
  baseUrl: string;
  now: Date;
}

/** A demo publisher's ready-to-use client credentials, for the start banner and the README. */
export interface PublisherCredential {
  publisherId: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface PreparedCatalog {
  /** This data directory holds the demo catalog. */
  demo: boolean;
  /** Where the catalog came from; undefined when none was ever loaded (demo catalog switched off). */
  source: CatalogSource | undefined;
  /** Rows the start changed (0 when the database already matched). */
  changes: number;
}

/**
 * Decides what catalog this start runs with:
 * - with a catalog file (`--catalog`), the file is validated and applied (idempotently);
 * - else, in a data directory that never had a catalog, the shipped demo catalog is applied and the
 *   directory is remembered as a demo directory (unless the demo catalog is switched off);
 * - else what the database holds is kept; only URLs written from `${SAASPORT_URL}` follow the base URL.
 * Throws CatalogValidationError (listing every problem) for an invalid or conflicting catalog file.
 */
export async function prepareCatalog(options: PrepareCatalogOptions): Promise<PreparedCatalog> {
  const { db, settings, baseUrl, now } = options;
  if (settings.catalogFile) {
    const file = resolve(settings.catalogFile);
    // The YAML parser is loaded only when a catalog file is read: it is large, and most starts read none.
    const { loadCatalogFile } = await import("./catalog-file.js");
    const document = await loadCatalogFile(file);
    const source: CatalogSource = { kind: "file", file };
    const { changes } = await inCatalogTransaction(
      db,
      (trx) => applyCatalogWithin(trx, { document, source, label: file, baseUrl, now }),
      {
        exclusive: true,
      },
    );
    return { demo: false, source, changes };
  }

  const { source, changes } = await inCatalogTransaction(
    db,
    async (trx) => {
      const existing = await readCatalogSource(trx);
      if (existing) return { source: existing, changes: await refreshPlaceholderUrls(trx, baseUrl, now) };
      // Parsed only for a data directory that never had a catalog: it costs a noticeable part of a start.
      if (!settings.demoCatalog) return { source: undefined, changes: 0 };
      const demoSource: CatalogSource = { kind: "demo" };
      const applied = await applyCatalogWithin(trx, {
        document: await loadDemoCatalog(),
        source: demoSource,
        label: demoCatalogFile,
        baseUrl,
        now,
      });
      return { source: demoSource, changes: applied.changes };
    },
    { exclusive: true },
  );
  return { demo: source?.kind === "demo", source, changes };
}

/**
 * The demo publishers still in the database, with their current app registration and demo secret;
 * empty unless the data directory holds the demo catalog.
 */
export async function demoCredentials(
  db: Kysely<Database>,
  catalog: Pick<PreparedCatalog, "demo">,
): Promise<PublisherCredential[]> {
  if (!catalog.demo) return [];
  const document = await loadDemoCatalog();
  const store = createCatalogStore(db);
  const credentials: PublisherCredential[] = [];
  for (const publisher of document.publishers) {
    const stored = await store.getPublisher(publisher.id);
    const clientSecret = publisher.clientSecrets[0];
    if (!stored || clientSecret === undefined) continue;
    credentials.push({
      publisherId: stored.id,
      tenantId: stored.tenantId,
      clientId: stored.appId,
      clientSecret,
    });
  }
  return credentials;
}
