import type { Kysely } from "kysely";
import type { Database } from "../../db/tables.js";
import { resolveBaseUrlPlaceholder } from "../reference-data.js";
import { createCatalogStore } from "../storage/store.js";
import { readAppliedCatalog, writeAppliedCatalog } from "./provenance.js";

/**
 * When the server's base URL changed since the catalog was applied (another port, a public URL), URLs
 * the catalog wrote from `${SAASPORT_URL}` follow it. A URL someone changed since (say, through the
 * Partner API) is left as it is. Returns the number of publishers updated.
 */
export async function refreshPlaceholderUrls(
  trx: Kysely<Database>,
  baseUrl: string,
  now: Date,
): Promise<number> {
  const applied = await readAppliedCatalog(trx);
  if (!applied || applied.baseUrl === baseUrl) return 0;
  const store = createCatalogStore(trx);
  let updated = 0;
  for (const [publisherId, templates] of Object.entries(applied.publishers)) {
    const publisher = await store.getPublisher(publisherId);
    if (!publisher) continue;
    const follow = (current: string, template: string) =>
      current === resolveBaseUrlPlaceholder(template, applied.baseUrl)
        ? resolveBaseUrlPlaceholder(template, baseUrl)
        : current;
    const landingPageUrl = follow(publisher.landingPageUrl, templates.landingPageUrlTemplate);
    const webhookUrl = follow(publisher.webhookUrl, templates.webhookUrlTemplate);
    if (landingPageUrl === publisher.landingPageUrl && webhookUrl === publisher.webhookUrl) continue;
    await store.updatePublisher({ ...publisher, landingPageUrl, webhookUrl }, now);
    updated += 1;
  }
  await writeAppliedCatalog(trx, { ...applied, baseUrl });
  return updated;
}
