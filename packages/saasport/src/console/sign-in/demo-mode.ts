import type { Kysely } from "kysely";
import { readCatalogSource } from "../../catalog/apply/provenance.js";
import type { Settings } from "../../config/settings.js";
import type { Database } from "../../db/tables.js";

/** A host name or address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return (
    name === "localhost" ||
    name === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(name)
  );
}

/**
 * Demo personas sign in without credentials, so they are offered only in demo mode and only when no
 * other machine can reach the server: it listens on a loopback address, no public URL names another
 * host and no reverse proxy is trusted (a proxy would otherwise expose the picker).
 */
export function personaPickerAllowed(
  settings: Pick<Settings, "host" | "publicUrl" | "trustProxy">,
  demo: boolean,
): boolean {
  if (!demo || !isLoopbackHost(settings.host)) return false;
  if (settings.trustProxy !== false) return false;
  if (!settings.publicUrl) return true;
  try {
    return isLoopbackHost(new URL(settings.publicUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * Whether the data directory runs the shipped demo catalog. Start-up loads the catalog after the
 * server listens, so this asks the database; once start-up is complete the answer is kept.
 */
export function createDemoProbe(db: Kysely<Database>, isReady: () => boolean): () => Promise<boolean> {
  let known: boolean | undefined;
  return async () => {
    if (known !== undefined) return known;
    const demo = (await readCatalogSource(db))?.kind === "demo";
    if (isReady()) known = demo;
    return demo;
  };
}
