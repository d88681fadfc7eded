import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { cachedLookup } from "../../src/webhooks/dns-cache.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer } from "../support/server.js";

type Lookup = (hostname: string, options: { all?: boolean; family?: number }) => Promise<unknown>;

function promised(lookup: ReturnType<typeof cachedLookup>): Lookup {
  return (hostname, options) =>
    new Promise((resolve, reject) =>
      (lookup as unknown as (h: string, o: object, cb: (e: Error | null, a: unknown) => void) => void)(
        hostname,
        options,
        (error, address) => (error ? reject(error) : resolve(address)),
      ),
    );
}

describe("the webhook DNS cache", () => {
  it("answers one address or all of them, as net.connect asks", async () => {
    const lookup = promised(cachedLookup());
    expect(await lookup("localhost", { family: 4 })).toBe("127.0.0.1");
    const all = (await lookup("localhost", { all: true })) as Array<{ address: string }>;
    expect(all.map((entry) => entry.address)).toContain("127.0.0.1");
  });

  it("remembers a failure, so a wrong webhook host costs one lookup, not one per retry", async () => {
    let now = 0;
    const lookup = promised(cachedLookup(() => now, 60_000, 10_000));
    const first = lookup("no-such-host.invalid", { all: true }).catch(
      (error: NodeJS.ErrnoException) => error.code,
    );
    const second = lookup("no-such-host.invalid", { all: true }).catch(
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(await first).toBe("ENOTFOUND");
    expect(await second).toBe("ENOTFOUND");
    // Within the failure lifetime the answer is immediate and the same.
    now = 5_000;
    expect(await lookup("no-such-host.invalid", {}).catch((error: NodeJS.ErrnoException) => error.code)).toBe(
      "ENOTFOUND",
    );
  });
});

describe.each(databaseKinds)("stopping while a webhook call hangs on %s", (database) => {
  const hanging: IncomingMessage[] = [];
  const receiver: Server = createServer((request) => {
    hanging.push(request); // never answered
  });
  afterAll(() => {
    receiver.closeAllConnections();
    receiver.close();
  });

  it("cuts the call off instead of waiting for its timeout", { timeout: 20_000 }, async () => {
    await new Promise<void>((done) => receiver.listen(0, "127.0.0.1", done));
    const port = (receiver.address() as AddressInfo).port;
    const server = await startTestServer({
      database,
      settings: {
        lifecycle: {
          ...(await import("../../src/config/settings.js")).defaultLifecycle,
          webhookTimeoutMs: 600_000,
        },
      },
      seed: async (db) => {
        await seedFixtureCatalog(db);
        await db
          .updateTable("publishers")
          .set({ webhook_url: `http://127.0.0.1:${port}/hook` })
          .execute();
      },
    });
    const { subscriptionId } = await purchase(server, { offerId: "analytics", planId: "basic" });
    const call = api(server, await publisherToken(server, "contoso"));
    await call("POST", `/saas/subscriptions/${subscriptionId}/activate`);
    await server.fetch(`/operator/v1/subscriptions/${subscriptionId}/payment-failed`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}` },
    });
    while (hanging.length === 0) await new Promise((wait) => setTimeout(wait, 20));
    // With a ten-minute call timeout, only cutting the call off lets stop() finish within the test's time.
    await server.stop();
  });
});
