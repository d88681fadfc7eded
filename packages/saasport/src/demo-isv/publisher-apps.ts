import { loadDemoCatalog } from "../catalog/demo-catalog.js";
import type { PublisherCredential } from "../catalog/prepare-catalog.js";

/** How the demo app is registered for one publisher: its Entra-style app and a display name. */
export interface PublisherApp extends PublisherCredential {
  displayName: string;
}

export type PublisherApps = (publisherId: string) => Promise<PublisherApp | undefined>;

/**
 * The demo app is configured, like any ISV app, with its publisher's tenant id, app id and client
 * secret. It takes them from the shipped demo catalog, which declares the demo publishers' secrets:
 * the demo app serves exactly the demo publishers, whatever catalog the server runs with.
 */
export function demoPublisherApps(load = loadDemoCatalog): PublisherApps {
  let apps: Promise<Map<string, PublisherApp>> | undefined;
  const all = async () => {
    const document = await load();
    const map = new Map<string, PublisherApp>();
    for (const publisher of document.publishers) {
      const clientSecret = publisher.clientSecrets[0];
      if (clientSecret === undefined) continue;
      map.set(publisher.id, {
        publisherId: publisher.id,
        displayName: publisher.displayName,
        tenantId: publisher.tenantId,
        clientId: publisher.appId,
        clientSecret,
      });
    }
    return map;
  };
  return async (publisherId) => {
    apps ??= all().catch((error: unknown) => {
      apps = undefined;
      throw error;
    });
    return (await apps).get(publisherId);
  };
}
