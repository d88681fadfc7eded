import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultLifecycle } from "../../src/config/settings.js";
import { addFault } from "../faults/support.js";
import { purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { deliveriesOf, until } from "./api-reads.js";
import { browserAvailable, inBrowser } from "./browser.js";
import { heading, signInAs } from "./personas.js";

const fabrikam = "33333333-3333-3333-3333-333333333333";

/** A webhook the publisher's endpoint kept failing gives up; the portal shows it failed and redelivers it. */
describe.skipIf(!browserAvailable)("web console: redelivering a failed webhook from the portal", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      database: "sqlite",
      settings: {
        demoCatalog: true,
        // Two quick attempts, then the delivery gives up (instead of 500 attempts over 8 hours).
        lifecycle: { ...defaultLifecycle, webhookMaxAttempts: 2, webhookRetryInitialDelayMs: 10 },
      },
    });
  });
  afterAll(async () => server?.stop());

  it("shows the failed delivery with its attempts, and a redelivery reaches the app", async ({ task }) => {
    await addFault(server, {
      target: "webhook",
      kind: "status",
      status: 503,
      count: 2,
      publisherId: "contoso",
    });
    const { subscriptionId } = await purchase(server, {
      offerId: "contoso-analytics",
      planId: "starter",
      termUnit: "P1M",
      tenantId: fabrikam,
      name: "Fabrikam failing webhook",
    });
    const cancelled = await server.fetch(`/operator/v1/subscriptions/${subscriptionId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${server.operatorKey}` },
    });
    expect(cancelled.status).toBeLessThan(300);
    await until(
      () => deliveriesOf(server, subscriptionId),
      (deliveries) => deliveries.some((delivery) => delivery.status === "failed"),
    );

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal/subscriptions");
      await page.getByRole("link", { name: "Fabrikam failing webhook" }).click();
      expect(await heading(browser)).toBe("Fabrikam failing webhook");
      const card = page.locator("article.delivery").first();
      const text = (await card.textContent()) ?? "";
      expect(text).toContain("Unsubscribe");
      expect(text).toContain("failed");
      expect(text).toContain("503");
      await browser.step("the failed delivery with its attempts");

      await card.getByRole("button", { name: "Redeliver" }).click();
      await page.waitForURL(/\?done=redelivered/);
      expect(await page.locator("article.delivery").count()).toBe(2);
      await browser.step("redelivered");
    });
    // The fault is spent: the redelivery reaches the demo app.
    const deliveries = await until(
      () => deliveriesOf(server, subscriptionId),
      (list) => list.some((delivery) => delivery.status === "delivered"),
    );
    expect(deliveries.map((delivery) => delivery.status).sort()).toEqual(["delivered", "failed"]);
  });
});
