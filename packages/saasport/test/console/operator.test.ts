import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operator, purchase } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { type BrowserTest, browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { fact, heading, signInAs } from "./personas.js";

const operatorName = "Marketplace operator";

describe.skipIf(!browserAvailable)("web console: the operator console in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  /** A subscription that starts at purchase (Adatum's instant plan, monthly), for a tenant of its own. */
  async function activeSubscription(name: string) {
    const tenantId = randomUUID();
    const { subscriptionId } = await purchase(server, {
      offerId: "adatum-backup",
      planId: "instant",
      tenantId,
      name,
    });
    return { subscriptionId, tenantId };
  }

  async function statusOf(subscriptionId: string): Promise<string> {
    const answer = await operator(server)("GET", `/subscriptions/${subscriptionId}`);
    expect(answer.status).toBe(200);
    return (answer.json as { saasSubscriptionStatus: string }).saasSubscriptionStatus;
  }

  const count = (browser: BrowserTest, name: string) =>
    browser.page.locator(`#move-result dd[data-count="${name}"]`).textContent();

  it("moves the clock a day, a month and to the next renewal, and refuses a bad duration", async ({
    task,
  }) => {
    const { subscriptionId } = await activeSubscription("Clock test backup");
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, operatorName);
      await browser.open("/console/operator");
      expect(await heading(browser)).toBe("Marketplace clock");
      expect(await page.locator("#next-renewal").textContent()).toContain("Clock test backup");
      await browser.step("operator home with the clock");

      browser.allowConsoleError(/clock\/advance: .*status of 400/);
      await page.getByLabel("Advance by").fill("soon");
      await page.getByRole("button", { name: "Advance", exact: true }).click();
      const field = page.getByLabel("Advance by");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#duration-error").textContent()).toMatch(/duration/i);
      expect(await field.inputValue()).toBe("soon");
      await browser.step("a bad duration is refused next to the field");

      const before = await page.locator("#clock-now").textContent();
      await page.getByRole("button", { name: "Advance a day" }).click();
      await page.waitForURL(/moved=day/);
      expect(await page.locator("#move-result h2").textContent()).toBe("The clock moved by a day");
      expect(await page.locator("#clock-now").textContent()).not.toBe(before);
      await browser.step("advanced a day");

      await page.getByRole("button", { name: "Advance a month" }).click();
      await page.waitForURL(/moved=month/);
      expect(Number(await count(browser, "renewed"))).toBeGreaterThanOrEqual(1);
      expect(await statusOf(subscriptionId)).toBe("Subscribed");
      await browser.step("advanced a month: the subscription renewed");

      await page.getByRole("button", { name: "Advance to the next renewal" }).click();
      await page.waitForURL(/moved=renewal/);
      expect(await page.locator("#move-result h2").textContent()).toBe("The clock moved to the next renewal");
      expect(Number(await count(browser, "renewed"))).toBeGreaterThanOrEqual(1);
      await browser.step("advanced to the next renewal");
    });
  });

  it("marks an invoice failed (the subscription is suspended), then paid (reinstated)", async ({ task }) => {
    const { subscriptionId, tenantId } = await activeSubscription("Invoice test backup");
    await operator(server)("POST", "/clock/advance", { duration: "P1M" });
    const listed = await operator(server)("GET", `/invoices?billingAccount=${tenantId}`);
    const invoices = (listed.json as { invoices: { id: string; status: string }[] }).invoices;
    expect(invoices.length).toBeGreaterThanOrEqual(1);
    const invoiceId = invoices[0]?.id ?? "";

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, operatorName);
      await browser.open("/console/operator/invoices?status=open");
      const link = page.getByRole("link", { name: new RegExp(`for ${tenantId}`) }).first();
      await link.click();
      await page.waitForURL(/\/console\/operator\/invoices\/[^?]+$/);
      expect(page.url()).toContain(invoiceId);
      expect(await page.locator("#invoice-status").textContent()).toBe("Open");
      expect(await page.getByRole("table").getByRole("row").count()).toBeGreaterThan(1);
      await browser.step("an open invoice with its lines");

      await page.getByRole("button", { name: "Mark failed" }).click();
      await page.waitForURL(/done=failed/);
      expect(await page.getByRole("status").textContent()).toContain("1 subscription suspended");
      expect(await page.locator("#invoice-status").textContent()).toBe("Payment failed");
      await browser.step("marked failed");

      await browser.open(`/console/operator/subscriptions/${subscriptionId}`);
      expect(await fact(browser, "Status").textContent()).toBe("Suspended");
      expect(await statusOf(subscriptionId)).toBe("Suspended");
      await browser.step("the subscription is suspended");

      await browser.open(`/console/operator/invoices/${invoiceId}`);
      await page.getByRole("button", { name: "Mark paid" }).click();
      await page.waitForURL(/done=paid/);
      expect(await page.getByRole("status").textContent()).toContain("1 subscription reinstated");
      expect(await page.locator("#invoice-status").textContent()).toBe("Paid");
      await browser.step("marked paid");

      await browser.open(`/console/operator/subscriptions/${subscriptionId}`);
      expect(await fact(browser, "Status").textContent()).toBe("Active");
      await browser.step("the subscription is reinstated");

      await browser.open("/console/operator/subscriptions?status=Suspended");
      expect(await page.getByRole("link", { name: "Invoice test backup" }).count()).toBe(0);
      await browser.open("/console/operator/subscriptions?status=Subscribed");
      expect(await page.getByRole("link", { name: "Invoice test backup" }).count()).toBe(1);
      await browser.step("subscriptions filtered by status");

      await browser.open("/console/operator/payouts");
      expect(await page.getByRole("row", { name: /adatum/ }).count()).toBeGreaterThanOrEqual(1);
      await browser.step("payout statements");
    });
  });

  it("reports payment failed and recovered on a subscription's page", async ({ task }) => {
    const { subscriptionId } = await activeSubscription("Billing events backup");
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, operatorName);
      await browser.open(`/console/operator/subscriptions/${subscriptionId}`);
      await browser.step("an active subscription");
      await page.getByRole("button", { name: "Payment failed" }).click();
      await page.waitForURL(/done=/);
      expect(await fact(browser, "Status").textContent()).toBe("Suspended");
      await browser.step("payment failed");

      // A suspended subscription can only recover: failing again or renewing is not offered.
      expect(await page.getByRole("button", { name: "Payment failed" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Renew now" }).count()).toBe(0);

      await page.getByRole("button", { name: "Payment recovered" }).click();
      await page.waitForURL(/done=/);
      await expect
        .poll(async () => {
          await page.reload();
          return fact(browser, "Status").textContent();
        })
        .toBe("Active");
      await browser.step("payment recovered");
    });
  });

  it("shows a new event live on the events page", async ({ task }) => {
    const { subscriptionId } = await activeSubscription("Live events backup");
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, operatorName);
      await browser.open("/console/operator/events");
      expect(await page.getByRole("row", { name: new RegExp(subscriptionId) }).count()).toBeGreaterThan(0);
      await page.locator("#events-body[data-live=on]").waitFor();
      const rowsBefore = await page.locator("#events-body tr").count();
      await browser.step("the latest events, live");

      const renewed = await operator(server)("POST", `/subscriptions/${subscriptionId}/renew`);
      expect(renewed.status).toBeLessThan(300);
      await page.locator("#events-body tr.fresh").first().waitFor();
      expect(await page.locator("#events-body tr").count()).toBeGreaterThan(rowsBefore);
      expect(await page.locator("#events-body tr").first().textContent()).toContain(subscriptionId);
      expect(await page.locator("#events-live").textContent()).toMatch(/new event/);
      await browser.step("a new event arrived live");
    });
  });

  it("lists publishers, and adds and clears a webhook fault", async ({ task }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, operatorName);
      await browser.open("/console/operator/publishers");
      expect(await page.getByRole("row", { name: /contoso/i }).count()).toBeGreaterThanOrEqual(1);
      await browser.step("publishers");

      await browser.open("/console/operator/faults");
      await browser.step("no faults");
      browser.allowConsoleError(/faults: .*status of 400/);
      await page.getByLabel("HTTP status").fill("200");
      await page.getByRole("button", { name: "Add the fault" }).click();
      expect(await page.getByLabel("HTTP status").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByRole("alert").textContent()).toContain("The fault was not added");
      await browser.step("a bad status is refused");

      await page.getByLabel("HTTP status").fill("503");
      await page.getByLabel("How many deliveries (optional)").fill("2");
      await page.getByLabel("Publisher").selectOption("contoso");
      await page.getByRole("button", { name: "Add the fault" }).click();
      await page.waitForURL(/done=added/);
      expect(await page.getByRole("row", { name: /503/ }).count()).toBe(1);
      await browser.step("a fault added");

      await page.getByRole("button", { name: "Clear every fault" }).click();
      await page.waitForURL(/done=all-cleared/);
      expect(await page.locator("#no-faults").count()).toBe(1);
      await browser.step("faults cleared");
    });
  });

  it("is for the operator only, and refuses a form without the anti-forgery token", async ({ task }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Ada at Fabrikam");
      browser.allowConsoleError(/status of 403/);
      await browser.open("/console/operator");
      expect(await heading(browser)).toBe("The operator console is for the operator");
      await browser.step("a buyer is refused");

      await signInAs(browser, operatorName);
      await browser.open("/console/operator");
      const form = page.locator("form[action$='/clock/advance']").first();
      await form.locator("input[name=csrf]").evaluate((input) => input.remove());
      await form.getByRole("button").click();
      expect(await heading(browser)).toBe("This form has expired");
      await browser.step("refused without a token");
    });
  });
});
