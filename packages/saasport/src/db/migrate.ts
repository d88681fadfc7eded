import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import * as foundation from "./migrations/0001-foundation.js";
import * as catalogPlanOptions from "./migrations/0002-catalog-plan-options.js";
import * as delayedActivation from "./migrations/0003-delayed-activation.js";
import * as lifecycle from "./migrations/0004-lifecycle.js";
import * as webhooks from "./migrations/0005-webhooks.js";
import * as demoIsvDeliveries from "./migrations/0007-demo-isv-deliveries.js";
import * as faultConsults from "./migrations/0008-fault-consults.js";
import * as usageEvents from "./migrations/0009-usage-events.js";
import * as outboxClaimIndex from "./migrations/0010-outbox-claim-index.js";
import * as privateOffers from "./migrations/0011-private-offers.js";
import * as billingLedger from "./migrations/0012-billing-ledger.js";
import * as consoleSessions from "./migrations/0013-console-sessions.js";
import * as suspendedIndex from "./migrations/0014-suspended-index.js";
import * as usageDaily from "./migrations/0015-usage-daily.js";
import * as activationRequestsIndex from "./migrations/0016-activation-requests-index.js";
import type { Database } from "./tables.js";

const migrations: Record<string, Migration> = {
  "0001-foundation": foundation,
  "0002-catalog-plan-options": catalogPlanOptions,
  "0003-delayed-activation": delayedActivation,
  "0004-lifecycle": lifecycle,
  "0005-webhooks": webhooks,
  "0007-demo-isv-deliveries": demoIsvDeliveries,
  "0008-fault-consults": faultConsults,
  "0009-usage-events": usageEvents,
  "0010-outbox-claim-index": outboxClaimIndex,
  "0011-private-offers": privateOffers,
  "0012-billing-ledger": billingLedger,
  "0013-console-sessions": consoleSessions,
  "0014-suspended-index": suspendedIndex,
  "0015-usage-daily": usageDaily,
  "0016-activation-requests-index": activationRequestsIndex,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; safe to run from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  if (await appliedExactly(db, Object.keys(migrations))) return;
  await migrate(db, (migrator) => migrator.migrateToLatest());
}

/**
 * Whether the database has applied exactly these migrations. Most starts find it so, and one query then
 * replaces the Migrator's checks (a listing of every table, a lock, the applied list): about 50 ms of a
 * start on PostgreSQL, 10 ms on SQLite. Anything else (a new database, a pending migration, one this
 * version does not know) goes to the Migrator, which applies or reports it.
 */
async function appliedExactly(db: Kysely<Database>, names: readonly string[]): Promise<boolean> {
  let applied: string[];
  try {
    const result = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = result.rows.map((row) => row.name);
  } catch {
    return false;
  }
  const known = new Set(names);
  return applied.length === known.size && applied.every((name) => known.has(name));
}

/** Applies the pending migrations up to and including `name` (for databases of an earlier version). */
export async function migrateUpTo(db: Kysely<Database>, name: string): Promise<void> {
  await migrate(db, (migrator) => migrator.migrateTo(name));
}

async function migrate(
  db: Kysely<Database>,
  run: (migrator: Migrator) => ReturnType<Migrator["migrateToLatest"]>,
): Promise<void> {
  const { error, results } = await run(new Migrator({ db, provider }));
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? "unknown error");
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${reason}`);
  }
}
