import { generateClientSecret } from "../../identity/secrets.js";
import { registerCatalogCredentials } from "../apply/credentials.js";
import { readCatalogSource } from "../apply/provenance.js";
import { sameValue } from "../apply/same-value.js";
import type { PublisherFieldsInput, TechnicalConfigurationPatchInput } from "../input-schema.js";
import type { Publisher } from "../model.js";
import { resolveBaseUrlPlaceholder } from "../reference-data.js";
import { type CatalogStore, createCatalogStore } from "../storage/store.js";
import { inCatalogTransaction, isUniqueViolation } from "../storage/transaction.js";
import { certificateFromInput } from "../to-domain.js";
import { validatePublisherFields, validateTechnicalConfiguration } from "../validation/publisher-rules.js";
import {
  type CatalogOverviewView,
  type CreatedPublisherView,
  offerView,
  type PublisherView,
  publisherView,
  type TechnicalConfigurationView,
  technicalConfigurationView,
} from "../views.js";
import { conflict, publisherNotFound, throwIfBroken } from "./api-errors.js";
import type { CatalogServiceDeps } from "./deps.js";

export async function getTechnicalConfiguration(
  deps: CatalogServiceDeps,
  publisherId: string,
): Promise<TechnicalConfigurationView> {
  const publisher = await createCatalogStore(deps.db).getPublisher(publisherId);
  if (!publisher) throw publisherNotFound(publisherId);
  return technicalConfigurationView(publisher);
}

/** Changes tenant id, app id, landing page or webhook URL; a tenant + app pair stays with one publisher. */
export async function updateTechnicalConfiguration(
  deps: CatalogServiceDeps,
  publisherId: string,
  patch: TechnicalConfigurationPatchInput,
): Promise<TechnicalConfigurationView> {
  const taken = () =>
    conflict(
      "body.appId",
      "This tenant id and app id already belong to another publisher; an Entra app identifies exactly one publisher.",
    );
  try {
    return await inCatalogTransaction(deps.db, async (trx) => {
      const store = createCatalogStore(trx);
      const stored = await store.getPublisher(publisherId);
      if (!stored) throw publisherNotFound(publisherId);
      const merged = {
        tenantId: patch.tenantId ?? stored.tenantId,
        appId: patch.appId ?? stored.appId,
        landingPageUrl: patch.landingPageUrl ?? stored.landingPageUrl,
        webhookUrl: patch.webhookUrl ?? stored.webhookUrl,
      };
      throwIfBroken(validateTechnicalConfiguration({ value: merged, path: "body" }));
      const updated: Publisher = {
        ...stored,
        tenantId: merged.tenantId.toLowerCase(),
        appId: merged.appId.toLowerCase(),
        landingPageUrl: resolveBaseUrlPlaceholder(merged.landingPageUrl, deps.baseUrl()),
        webhookUrl: resolveBaseUrlPlaceholder(merged.webhookUrl, deps.baseUrl()),
      };
      if (await isTakenByAnother(store, updated)) throw taken();
      if (!sameValue(updated, stored)) await store.updatePublisher(updated, deps.clock.now());
      return technicalConfigurationView(updated);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function listPublishers(deps: CatalogServiceDeps): Promise<PublisherView[]> {
  return (await createCatalogStore(deps.db).listPublishers()).map(publisherView);
}

/**
 * Creates a publisher with its technical configuration and credentials. Without any credential in the
 * request, a client secret is generated and returned once.
 */
export async function createPublisher(
  deps: CatalogServiceDeps,
  input: PublisherFieldsInput,
): Promise<CreatedPublisherView> {
  throwIfBroken(validatePublisherFields({ value: input, path: "body" }));
  const { technicalConfiguration: technical } = input;
  const publisher: Publisher = {
    id: input.id,
    displayName: input.displayName?.trim() || input.id,
    tenantId: technical.tenantId.toLowerCase(),
    appId: technical.appId.toLowerCase(),
    landingPageUrl: resolveBaseUrlPlaceholder(technical.landingPageUrl, deps.baseUrl()),
    webhookUrl: resolveBaseUrlPlaceholder(technical.webhookUrl, deps.baseUrl()),
  };
  const certificates = (input.credentials?.certificates ?? []).map(certificateFromInput);
  const givenSecrets = input.credentials?.clientSecrets ?? [];
  const generated =
    givenSecrets.length === 0 && certificates.length === 0 ? generateClientSecret() : undefined;
  const alreadyExists = () => conflict("body.id", `Publisher "${publisher.id}" already exists.`);
  try {
    return await inCatalogTransaction(deps.db, async (trx) => {
      const store = createCatalogStore(trx);
      if (await store.getPublisher(publisher.id)) throw alreadyExists();
      if (await isTakenByAnother(store, publisher)) {
        throw conflict(
          "body.technicalConfiguration.appId",
          "This tenant id and app id already belong to another publisher; an Entra app identifies exactly one publisher.",
        );
      }
      const now = deps.clock.now();
      await store.insertPublisher(publisher, now);
      await registerCatalogCredentials(trx, {
        publisherId: publisher.id,
        clientSecrets: generated ? [generated] : givenSecrets,
        certificates,
        now,
      });
      return generated
        ? { publisher: publisherView(publisher), clientSecret: generated }
        : { publisher: publisherView(publisher) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists();
    throw error;
  }
}

/** The whole catalog as the operator sees it: every publisher, offer and plan, private audiences included. */
export async function catalogOverview(deps: CatalogServiceDeps): Promise<CatalogOverviewView> {
  const { publishers, offers, plans } = await createCatalogStore(deps.db).snapshot();
  const source = await readCatalogSource(deps.db);
  return {
    source: source?.kind ?? null,
    ...(source?.kind === "file" ? { file: source.file } : {}),
    publishers: publishers.map((publisher) => ({
      ...publisherView(publisher),
      offers: offers
        .filter(({ value }) => value.publisherId === publisher.id)
        .map(({ value: offer }) =>
          offerView(
            offer,
            plans
              .filter(
                ({ value }) => value.publisherId === offer.publisherId && value.offerId === offer.offerId,
              )
              .map(({ value }) => value),
          ),
        ),
    })),
  };
}

async function isTakenByAnother(store: CatalogStore, publisher: Publisher): Promise<boolean> {
  const owner = await store.findPublisherByApp(publisher.tenantId, publisher.appId);
  return owner !== undefined && owner.id !== publisher.id;
}
