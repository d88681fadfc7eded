import type { Kysely } from "kysely";
import type { Database } from "../../db/tables.js";

/** Where the data directory's catalog came from: the shipped demo, or a catalog file. */
export type CatalogSource = { kind: "demo" } | { kind: "file"; file: string };

/**
 * What the last catalog file (or the demo) put into the database, so the next one can tell what was
 * removed from it, and so URLs written with `${SAASPORT_URL}` can follow the server's base URL.
 */
export interface AppliedCatalog {
  /** The base URL `${SAASPORT_URL}` was replaced with. */
  baseUrl: string;
  publishers: Record<string, AppliedPublisher>;
}

export interface AppliedPublisher {
  landingPageUrlTemplate: string;
  webhookUrlTemplate: string;
  secretIds: string[];
  certificateIds: string[];
  /** Plan ids by offer id. */
  offers: Record<string, string[]>;
}

const sourceKey = "catalog.source";
const appliedKey = "catalog.applied";

export async function readCatalogSource(db: Kysely<Database>): Promise<CatalogSource | undefined> {
  const value = await readMeta(db, sourceKey);
  if (value === undefined) return undefined;
  if (value === "demo") return { kind: "demo" };
  return { kind: "file", file: value.replace(/^file:/, "") };
}

/** Returns true when the stored value changed. */
export async function writeCatalogSource(db: Kysely<Database>, source: CatalogSource): Promise<boolean> {
  return writeMeta(db, sourceKey, source.kind === "demo" ? "demo" : `file:${source.file}`);
}

export async function readAppliedCatalog(db: Kysely<Database>): Promise<AppliedCatalog | undefined> {
  const value = await readMeta(db, appliedKey);
  return value === undefined ? undefined : (JSON.parse(value) as AppliedCatalog);
}

export async function writeAppliedCatalog(db: Kysely<Database>, applied: AppliedCatalog): Promise<boolean> {
  return writeMeta(db, appliedKey, JSON.stringify(applied));
}

async function readMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

async function writeMeta(db: Kysely<Database>, key: string, value: string): Promise<boolean> {
  if ((await readMeta(db, key)) === value) return false;
  await db
    .insertInto("meta")
    .values({ key, value })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
    .execute();
  return true;
}
