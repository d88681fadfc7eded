import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiVersion, purchase, requestToken } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { deliveriesOf, until } from "./api-reads.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { heading, signInAs } from "./personas.js";

const fabrikam = "33333333-3333-3333-3333-333333333333";
const contoso = {
  tenantId: "11111111-1111-1111-1111-111111111111",
  appId: "aaaaaaaa-1111-1111-1111-111111111111",
  secret: "contoso-demo-client-secret",
};

describe.skipIf(!browserAvailable)("web console: the publisher portal in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  /** Contoso's app token, as its own app gets it (for the Fulfillment and Metering APIs). */
  async function contosoToken(): Promise<string> {
    const response = await requestToken(server, contoso);
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it("a purchase appears; its detail shows the events and the webhook delivery, which can be redelivered", async ({
    task,
  }) => {
    const { subscriptionId } = await purchase(server, {
      offerId: "contoso-analytics",
      planId: "starter",
      termUnit: "P1M",
      tenantId: fabrikam,
      name: "Fabrikam portal analytics",
    });
    // The buyer cancels: Contoso's webhook is told (Unsubscribe) and the demo app acknowledges it.
    const cancelled = await server.fetch(`/operator/v1/subscriptions/${subscriptionId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${server.operatorKey}` },
    });
    expect(cancelled.status).toBeLessThan(300);
    await until(
      () => deliveriesOf(server, subscriptionId),
      (deliveries) => deliveries.some((delivery) => delivery.status !== "pending"),
    );

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await page.getByRole("link", { name: "Portal", exact: true }).click();
      await page.waitForURL("**/console/portal");
      expect(await heading(browser)).toBe("Contoso Ltd.: publisher portal");
      const main = (await page.locator("main").textContent()) ?? "";
      expect(main).toContain("Contoso Analytics");
      expect(main).toContain("Starter");
      await browser.step("portal home with offers and plans");

      await page.getByRole("main").getByRole("link", { name: "Subscriptions" }).click();
      const row = page.getByRole("row", { name: /Fabrikam portal analytics/ });
      expect(await row.textContent()).toContain("Cancelled");
      await browser.step("subscriptions");

      await page.getByRole("combobox", { name: "Status" }).selectOption("Subscribed");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/status=Subscribed/);
      expect(await page.getByRole("row", { name: /Fabrikam portal analytics/ }).count()).toBe(0);
      await browser.step("filtered to active subscriptions");

      await browser.open("/console/portal/subscriptions");
      await page.getByRole("link", { name: "Fabrikam portal analytics" }).click();
      expect(await heading(browser)).toBe("Fabrikam portal analytics");
      const timeline = (await page.locator("#timeline").textContent()) ?? "";
      expect(timeline).toMatch(/Purchased|Created|Subscription/i);
      const cards = page.locator("article.delivery");
      expect(await cards.count()).toBe(1);
      expect(await cards.first().textContent()).toContain("Unsubscribe");
      await cards.first().getByText("Payload").click();
      expect(await cards.first().locator("pre.payload").first().textContent()).toContain(subscriptionId);
      await browser.step("subscription detail with timeline and delivery");

      await cards.first().getByRole("button", { name: "Redeliver" }).click();
      await page.waitForURL(/\?done=redelivered/);
      expect(await page.getByRole("status").first().textContent()).toContain("queued again");
      expect(await page.locator("article.delivery").count()).toBe(2);
      expect((await deliveriesOf(server, subscriptionId)).length).toBe(2);
      await browser.step("redelivered");
    });
  });

  it("shows revenue per month as a chart with its numbers, and usage per dimension per day", async ({
    task,
  }) => {
    const { subscriptionId } = await purchase(server, {
      offerId: "contoso-analytics",
      planId: "starter",
      termUnit: "P1M",
      tenantId: fabrikam,
      name: "Fabrikam metered analytics",
    });
    const token = await contosoToken();
    const activated = await server.fetch(`/api/saas/subscriptions/${subscriptionId}/activate?${apiVersion}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ planId: "starter" }),
    });
    expect(activated.status, await activated.text()).toBe(200);
    const usage = await server.fetch(`/api/usageEvent?${apiVersion}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        resourceId: subscriptionId,
        planId: "starter",
        dimension: "api-calls",
        quantity: 12.5,
        effectiveStartTime: new Date(Date.now() - 3600_000).toISOString(),
      }),
    });
    expect(usage.status, await usage.text()).toBe(200);

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal/revenue");
      expect(await heading(browser)).toBe("Revenue and payouts");
      const chart = page.getByRole("img", { name: /Revenue per month in USD/ });
      expect(await chart.count()).toBe(1);
      expect(await chart.locator("rect.bar").count()).toBeGreaterThan(0);
      const table = page.getByRole("table", { name: "Revenue in USD" });
      expect(await table.textContent()).toContain("$49.00");
      await browser.step("revenue chart and table");

      browser.allowConsoleError(/status of 400/);
      await page.getByLabel("From month").fill("May 2026");
      await page.getByRole("button", { name: "Show" }).click();
      expect(await page.getByRole("alert").textContent()).toMatch(/from|month/i);
      await browser.step("a bad month is refused");

      await browser.open("/console/portal/usage");
      const usageChart = page.getByRole("img", { name: /Usage of api-calls per day/ });
      expect(await usageChart.count()).toBe(1);
      expect(await page.getByRole("table", { name: "Usage of api-calls" }).textContent()).toContain("12.5");
      await browser.step("usage chart and table");
    });
  });

  it("shows the API's message next to a bad technical configuration value, and creates and retires a secret", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal/technical-configuration");
      expect(await heading(browser)).toBe("Technical configuration");
      await browser.step("technical configuration");

      browser.allowConsoleError(/status of 400/);
      const webhook = page.getByLabel("Webhook URL");
      await webhook.fill("not a url");
      await page.getByRole("button", { name: "Save configuration" }).click();
      expect(await page.getByRole("alert").textContent()).toContain(
        "Webhook URL must be an absolute http or https URL",
      );
      expect(await webhook.inputValue()).toBe("not a url");
      expect(await webhook.getAttribute("aria-invalid")).toBe("true");
      await browser.step("a bad webhook url is refused");

      await page.getByRole("button", { name: "Create a signing secret" }).click();
      expect(await page.locator("#created-secret").textContent()).not.toBe("");
      await browser.step("secret created and shown once");
      await page.getByRole("button", { name: /^Retire secret/ }).click();
      await page.waitForURL(/done=retired/);
      expect(await page.getByRole("button", { name: /^Retire secret/ }).count()).toBe(0);
      await browser.step("secret retired");
    });
  });
});
