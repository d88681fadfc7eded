import type { Kysely } from "kysely";
import type { Database } from "../../db/tables.js";
import type { Publisher } from "../model.js";
import { resolveBaseUrlPlaceholder } from "../reference-data.js";
import { type CatalogSnapshot, type CatalogStore, createCatalogStore } from "../storage/store.js";
import { inCatalogTransaction } from "../storage/transaction.js";
import type { CatalogDocument, CatalogPublisher } from "../to-domain.js";
import { CatalogValidationError } from "../validation/issues.js";
import { conflictsWithStoredCatalog } from "./conflicts.js";
import { registerCatalogCredentials, revokeCatalogCredentials } from "./credentials.js";
import {
  type AppliedCatalog,
  type AppliedPublisher,
  type CatalogSource,
  readAppliedCatalog,
  writeAppliedCatalog,
  writeCatalogSource,
} from "./provenance.js";
import { sameValue } from "./same-value.js";

export interface ApplyCatalogInput {
  document: CatalogDocument;
  source: CatalogSource;
  /** Names the catalog in error messages: its file path, or "demo catalog". */
  label: string;
  /** Replaces `${SAASPORT_URL}` in landing and webhook URLs. */
  baseUrl: string;
  now: Date;
}

export interface ApplyCatalogOptions extends ApplyCatalogInput {
  db: Kysely<Database>;
}

export interface ApplyCatalogResult {
  /** Rows created, changed, stop-sold or revoked; 0 when the database already matched the catalog. */
  changes: number;
}

/** Applies a validated catalog in one transaction. Applying the same catalog again changes nothing. */
export async function applyCatalog(options: ApplyCatalogOptions): Promise<ApplyCatalogResult> {
  return inCatalogTransaction(options.db, (trx) => applyCatalogWithin(trx, options), { exclusive: true });
}

/**
 * Upserts publishers, offers and plans, then handles what the previous catalog had and this one lacks:
 * - a plan is never deleted, only stop-sold: subscriptions, invoices and usage may still name it
 *   (they live in other modules' tables, which the catalog does not read), and stop-selling keeps it
 *   visible to them while taking it off sale;
 * - an offer or publisher that disappeared likewise stays, with the plans the catalog gave it stop-sold;
 * - client secrets and certificates the catalog registered and no longer lists are revoked.
 * Offers and plans created through the Partner API are left alone unless the file names them.
 */
export async function applyCatalogWithin(
  trx: Kysely<Database>,
  options: ApplyCatalogInput,
): Promise<ApplyCatalogResult> {
  const { document, baseUrl, now } = options;
  const store = createCatalogStore(trx);
  const stored = await store.snapshot();
  const conflicts = conflictsWithStoredCatalog(document, stored);
  if (conflicts.length > 0) throw new CatalogValidationError(options.label, conflicts);

  const previous = await readAppliedCatalog(trx);
  const applied: AppliedCatalog = { baseUrl, publishers: {} };
  let changes = 0;
  await releaseMovedAppRegistrations(store, document, stored, now);
  for (const publisher of document.publishers) {
    changes += await upsertPublisher(store, stored, publisher, baseUrl, now);
    const credentials = await registerCatalogCredentials(trx, {
      publisherId: publisher.id,
      clientSecrets: publisher.clientSecrets,
      certificates: publisher.certificates,
      now,
    });
    const known = previous?.publishers[publisher.id];
    changes += credentials.secretIds.filter((id) => !known?.secretIds.includes(id)).length;
    changes += credentials.certificateIds.filter((id) => !known?.certificateIds.includes(id)).length;
    changes += await upsertOffers(store, stored, publisher, now);
    applied.publishers[publisher.id] = {
      landingPageUrlTemplate: publisher.landingPageUrlTemplate,
      webhookUrlTemplate: publisher.webhookUrlTemplate,
      ...credentials,
      offers: Object.fromEntries(
        publisher.offers.map(({ offer, plans }) => [offer.offerId, plans.map((plan) => plan.planId)]),
      ),
    };
  }
  if (previous) {
    changes += await stopSellRemovedPlans(store, stored, previous, applied, now);
    changes += await revokeRemovedCredentials(trx, previous, applied, now);
  }
  await writeAppliedCatalog(trx, applied);
  await writeCatalogSource(trx, options.source);
  return { changes };
}

export function publisherFromCatalog(publisher: CatalogPublisher, baseUrl: string): Publisher {
  return {
    id: publisher.id,
    displayName: publisher.displayName,
    tenantId: publisher.tenantId,
    appId: publisher.appId,
    landingPageUrl: resolveBaseUrlPlaceholder(publisher.landingPageUrlTemplate, baseUrl),
    webhookUrl: resolveBaseUrlPlaceholder(publisher.webhookUrlTemplate, baseUrl),
  };
}

/**
 * A tenant + app pair is unique in the database. When the catalog moves a pair from one publisher to
 * another, the old owner first gets a placeholder pair so the upserts can happen in any order.
 */
async function releaseMovedAppRegistrations(
  store: CatalogStore,
  document: CatalogDocument,
  stored: CatalogSnapshot,
  now: Date,
): Promise<void> {
  for (const existing of stored.publishers) {
    const desired = document.publishers.find((publisher) => publisher.id === existing.id);
    if (!desired || (desired.tenantId === existing.tenantId && desired.appId === existing.appId)) continue;
    await store.updatePublisher(
      { ...existing, tenantId: `moving:${existing.id}`, appId: `moving:${existing.id}` },
      now,
    );
  }
}

async function upsertPublisher(
  store: CatalogStore,
  stored: CatalogSnapshot,
  publisher: CatalogPublisher,
  baseUrl: string,
  now: Date,
): Promise<number> {
  const desired = publisherFromCatalog(publisher, baseUrl);
  const existing = stored.publishers.find((candidate) => candidate.id === publisher.id);
  if (!existing) {
    await store.insertPublisher(desired, now);
    return 1;
  }
  if (sameValue(existing, desired)) return 0;
  await store.updatePublisher(desired, now);
  return 1;
}

async function upsertOffers(
  store: CatalogStore,
  stored: CatalogSnapshot,
  publisher: CatalogPublisher,
  now: Date,
): Promise<number> {
  let changes = 0;
  for (const [offerIndex, { offer, plans }] of publisher.offers.entries()) {
    const existingOffer = stored.offers.find(
      ({ value }) => value.publisherId === offer.publisherId && value.offerId === offer.offerId,
    );
    if (!existingOffer) {
      await store.insertOffer(offer, now, offerIndex);
      changes += 1;
    } else if (!sameValue(existingOffer.value, offer) || existingOffer.sortOrder !== offerIndex) {
      await store.updateOffer(offer, now, offerIndex);
      changes += 1;
    }
    for (const [planIndex, plan] of plans.entries()) {
      const existingPlan = stored.plans.find(
        ({ value }) =>
          value.publisherId === plan.publisherId &&
          value.offerId === plan.offerId &&
          value.planId === plan.planId,
      );
      if (!existingPlan) {
        await store.insertPlan(plan, now, planIndex);
        changes += 1;
      } else if (!sameValue(existingPlan.value, plan) || existingPlan.sortOrder !== planIndex) {
        await store.updatePlan(plan, now, planIndex);
        changes += 1;
      }
    }
  }
  return changes;
}

async function stopSellRemovedPlans(
  store: CatalogStore,
  stored: CatalogSnapshot,
  previous: AppliedCatalog,
  applied: AppliedCatalog,
  now: Date,
): Promise<number> {
  let changes = 0;
  for (const [publisherId, before] of Object.entries(previous.publishers)) {
    for (const [offerId, planIds] of Object.entries(before.offers)) {
      const kept = applied.publishers[publisherId]?.offers[offerId] ?? [];
      for (const planId of planIds) {
        if (kept.includes(planId)) continue;
        const plan = stored.plans.find(
          ({ value }) =>
            value.publisherId === publisherId && value.offerId === offerId && value.planId === planId,
        )?.value;
        if (!plan || plan.isStopSell) continue;
        await store.updatePlan({ ...plan, isStopSell: true }, now);
        changes += 1;
      }
    }
  }
  return changes;
}

async function revokeRemovedCredentials(
  trx: Kysely<Database>,
  previous: AppliedCatalog,
  applied: AppliedCatalog,
  now: Date,
): Promise<number> {
  const removed = { secretIds: [] as string[], certificateIds: [] as string[] };
  for (const [publisherId, before] of Object.entries(previous.publishers)) {
    const after: AppliedPublisher | undefined = applied.publishers[publisherId];
    removed.secretIds.push(...before.secretIds.filter((id) => !after?.secretIds.includes(id)));
    removed.certificateIds.push(...before.certificateIds.filter((id) => !after?.certificateIds.includes(id)));
  }
  return revokeCatalogCredentials(trx, removed, now);
}
