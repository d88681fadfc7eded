import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purchase } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { deliveriesOf, until } from "./api-reads.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { heading, signInAs } from "./personas.js";

const fabrikam = "33333333-3333-3333-3333-333333333333";

describe.skipIf(!browserAvailable)("web console: one publisher cannot see another's subscriptions", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  it("Contoso opening Adatum's subscription detail URL gets the 404 page, and cannot redeliver its webhooks", async ({
    task,
  }) => {
    // Adatum's plan starts at purchase, so its app is sent a Subscribe webhook at once.
    const { subscriptionId } = await purchase(server, {
      offerId: "adatum-backup",
      planId: "instant",
      termUnit: "P1M",
      tenantId: fabrikam,
      name: "Fabrikam nightly backup",
    });
    const [delivery] = await until(
      () => deliveriesOf(server, subscriptionId, "adatum"),
      (deliveries) => deliveries.length > 0,
    );
    const detailPath = `/console/portal/subscriptions/${subscriptionId}`;

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Adatum Corporation");
      await browser.open(detailPath);
      expect(await heading(browser)).toBe("Fabrikam nightly backup");
      await browser.step("adatum sees its own subscription");

      const contoso = await browser.secondBrowser();
      await signInAs(contoso, "Contoso Ltd.");
      contoso.allowConsoleError(/status of 404/);
      const answer = await contoso.page.goto(`${server.url}${detailPath}`);
      expect(answer?.status()).toBe(404);
      expect(await heading(contoso)).toBe("Not found");
      const main = (await contoso.page.locator("main").textContent()) ?? "";
      expect(main).toContain(`Subscription ${subscriptionId} was not found.`);
      expect(main).not.toContain("Fabrikam nightly backup");
      expect(main).not.toContain("Adatum");
      expect(await contoso.page.locator("article.delivery").count()).toBe(0);
      await contoso.step("contoso gets the 404 page for adatum's subscription");

      // A forged redelivery with Contoso's own session and anti-forgery value is refused the same way.
      await contoso.open("/console/portal/subscriptions");
      const csrf = await contoso.page.locator("input[name=csrf]").first().inputValue();
      const redelivery = await contoso.context.request.post(
        `${server.url}${detailPath}/deliveries/${delivery?.id}/redeliver`,
        { form: { csrf }, maxRedirects: 0 },
      );
      expect(redelivery.status()).toBe(404);
      expect(await redelivery.text()).not.toContain("Fabrikam nightly backup");
      expect((await deliveriesOf(server, subscriptionId, "adatum")).length).toBe(1);

      // Adatum's own view is unchanged.
      await page.reload();
      expect(await heading(browser)).toBe("Fabrikam nightly backup");
    });
  });
});
