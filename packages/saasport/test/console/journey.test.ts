import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/server.js";
import { subscriptionOf } from "./api-reads.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { fact, heading, signInAs } from "./personas.js";

/**
 * Issue #5's journey, end to end in browsers: a buyer buys, the publisher's app activates, seats change,
 * the publisher sees the webhook, the operator moves the clock past the term, the subscription renews,
 * and the buyer cancels.
 */
describe.skipIf(!browserAvailable)("web console: the whole journey in browsers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  it("buy, activate, change seats, see the webhook, renew past the term, cancel", async ({ task }) => {
    await inBrowser(server, task.name, async (ada) => {
      const { page } = ada;
      const name = "Fabrikam journey CRM";

      // Ada buys 10 seats of a per-seat plan, monthly.
      await signInAs(ada, "Ada at Fabrikam");
      expect(await heading(ada)).toBe("Storefront");
      await ada.step("ada: storefront");
      await page.getByRole("link", { name: "Choose Business of Contoso CRM" }).click();
      expect(await heading(ada)).toBe("Contoso CRM: Business");
      await page.getByLabel("Seats", { exact: true }).fill("10");
      await page.getByLabel("$25.00 per seat for 1 month, paid upfront").check();
      await page.getByLabel("Subscription name (optional)").fill(name);
      await ada.step("ada: plan page filled in");
      await page.getByRole("button", { name: "Buy Business" }).click();
      await page.waitForURL(/\/configure\?landing=/);
      expect(await heading(ada)).toBe("Configure your account");
      const subscriptionId = /subscriptions\/([0-9a-f-]{36})\/configure/.exec(page.url())?.[1] ?? "";
      expect(subscriptionId).not.toBe("");
      await ada.step("ada: configure account");

      // The demo ISV's landing page activates it.
      await page.getByRole("link", { name: "Configure account" }).click();
      await page.waitForURL(/\/demo-isv\/contoso\/landing\?token=/);
      expect(await page.locator("body").textContent()).toContain(name);
      await ada.step("ada: the publisher's landing page", { audit: false });
      await page.getByRole("button", { name: "Activate" }).click();
      await page.waitForURL(/\/demo-isv\/contoso\/subscriptions\//);
      expect(await page.locator("body").textContent()).toContain("Subscribed");
      await ada.step("ada: activated at the publisher", { audit: false });

      // Back in the store: 12 seats instead of 10.
      await ada.open(`/console/store/subscriptions/${subscriptionId}`);
      expect(await heading(ada)).toBe(name);
      expect(await fact(ada, "Status").textContent()).toBe("Active");
      const firstTerm = (await fact(ada, "Term").textContent()) ?? "";
      await page.getByLabel("Seats", { exact: true }).fill("12");
      await page.getByRole("button", { name: "Change seats" }).click();
      await page.waitForURL(/\?done=seats/);
      await page
        .locator("dl.facts dt:text-is('Seats') + dd", { hasText: /^12$/ })
        .waitFor({ timeout: 20_000 });
      expect((await subscriptionOf(server, subscriptionId)).quantity).toBe(12);
      await ada.step("ada: seats changed to 12");

      // Contoso, in a browser of its own, sees the ChangeQuantity webhook on the subscription's page.
      const contoso = await ada.secondBrowser();
      await signInAs(contoso, "Contoso Ltd.");
      await contoso.open("/console/portal/subscriptions");
      await contoso.page.getByRole("link", { name }).click();
      expect(await heading(contoso)).toBe(name);
      const changeQuantity = contoso.page.locator("article.delivery", { hasText: "ChangeQuantity" });
      await expect
        .poll(async () => {
          await contoso.page.reload();
          return changeQuantity.locator("dt:text-is('Status') + dd").textContent();
        })
        .toBe("delivered");
      const details = contoso.page.getByRole("region", { name: "Details" });
      expect(await details.locator("dt:text-is('Seats') + dd").textContent()).toBe("12");
      await contoso.step("contoso: the ChangeQuantity webhook on the subscription's page");

      // The operator moves the clock past the term: the subscription renews.
      const operator = await ada.secondBrowser();
      await signInAs(operator, "Marketplace operator");
      await operator.open("/console/operator");
      expect(await heading(operator)).toBe("Marketplace clock");
      expect(await operator.page.locator("#next-renewal").textContent()).toContain(name);
      await operator.step("operator: the clock, with the journey's subscription next to renew");
      await operator.page.getByLabel("Advance by").fill("P1M1D");
      await operator.page.getByRole("button", { name: "Advance", exact: true }).click();
      await operator.page.waitForURL(/moved=custom/);
      expect(Number(await operator.page.locator('#move-result dd[data-count="renewed"]').textContent())).toBe(
        1,
      );
      await operator.step("operator: advanced past the term, one renewal");

      // The renewal shows at the publisher (a Renewed event) and in the store (the next term).
      await contoso.page.reload();
      expect(await contoso.page.locator("#timeline").textContent()).toContain("Renewed");
      await contoso.step("contoso: the Renewed event in the timeline");

      await ada.open(`/console/store/subscriptions/${subscriptionId}`);
      expect(await fact(ada, "Status").textContent()).toBe("Active");
      const renewedTerm = (await fact(ada, "Term").textContent()) ?? "";
      expect(renewedTerm).not.toBe(firstTerm);
      const term = (await subscriptionOf(server, subscriptionId)).term;
      expect(Date.parse(term?.startDate ?? "")).toBeGreaterThan(Date.now() + 20 * 86_400_000);
      await ada.step("ada: the renewed term in the store");

      // Ada cancels.
      await page.getByLabel(`Yes, cancel ${name}`).check();
      await page.getByRole("button", { name: "Cancel subscription" }).click();
      await page.waitForURL(/\?done=cancelled/);
      expect(await page.getByRole("status").first().textContent()).toContain("cancelled");
      expect(await fact(ada, "Status").textContent()).toBe("Cancelled");
      expect((await subscriptionOf(server, subscriptionId)).saasSubscriptionStatus).toBe("Unsubscribed");
      await ada.step("ada: cancelled");

      await ada.open("/console/store/subscriptions");
      expect(await page.getByRole("row", { name: new RegExp(name) }).textContent()).toContain("Cancelled");
      await ada.step("ada: my subscriptions, cancelled");

      await contoso.page.reload();
      expect(await details.locator("dt:text-is('Status') + dd").textContent()).toBe("Cancelled");
      await expect
        .poll(async () => {
          await contoso.page.reload();
          return contoso.page.locator("article.delivery", { hasText: "Unsubscribe" }).count();
        })
        .toBeGreaterThan(0);
      await contoso.step("contoso: cancelled, with the Unsubscribe webhook");
    });
  }, 120_000);
});
