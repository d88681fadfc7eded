import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purchase } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { subscriptionOf } from "./api-reads.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { fact, heading, signInAs } from "./personas.js";

const fabrikam = "33333333-3333-3333-3333-333333333333";

describe.skipIf(!browserAvailable)("web console: the storefront in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  it("a buyer buys a per-seat plan, configures the account at the publisher and changes seats", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await browser.open("/");
      expect(await heading(browser)).toBe("Saasport");
      await browser.step("home");

      await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
      expect(await heading(browser)).toBe("Sign in");
      await browser.step("sign-in personas");
      await page.getByRole("button", { name: "Sign in as Ada at Fabrikam" }).click();
      await page.waitForURL("**/console/store");
      expect(await heading(browser)).toBe("Storefront");
      await browser.step("storefront");

      await page.getByRole("link", { name: "Choose Business of Contoso CRM" }).click();
      expect(await heading(browser)).toBe("Contoso CRM: Business");
      await page.getByLabel("Seats", { exact: true }).fill("10");
      await page.getByLabel("$25.00 per seat for 1 month, paid upfront").check();
      await page.getByLabel("Subscription name (optional)").fill("Fabrikam sales CRM");
      await browser.step("plan page filled in");
      await page.getByRole("button", { name: "Buy Business" }).click();

      await page.waitForURL(/\/configure\?landing=/);
      expect(await heading(browser)).toBe("Configure your account");
      const subscriptionId = /subscriptions\/([0-9a-f-]{36})\/configure/.exec(page.url())?.[1] ?? "";
      expect((await subscriptionOf(server, subscriptionId)).quantity).toBe(10);
      await browser.step("configure account");

      await page.getByRole("link", { name: "Configure account" }).click();
      await page.waitForURL(/\/demo-isv\/contoso\/landing\?token=/);
      expect(await page.locator("body").textContent()).toContain("Fabrikam sales CRM");
      await browser.step("publisher landing page", { audit: false });
      await page.getByRole("button", { name: "Activate" }).click();
      await page.waitForURL(/\/demo-isv\/contoso\/subscriptions\//);
      expect(await page.locator("body").textContent()).toContain("Subscribed");
      await browser.step("activated at the publisher", { audit: false });

      await browser.open("/console/store/subscriptions");
      const row = page.getByRole("row", { name: /Fabrikam sales CRM/ });
      expect(await row.textContent()).toContain("Active");
      await browser.step("my subscriptions");

      await row.getByRole("link", { name: "Fabrikam sales CRM" }).click();
      expect(await fact(browser, "Seats").textContent()).toBe("10");
      await page.getByLabel("Seats", { exact: true }).fill("12");
      await page.getByRole("button", { name: "Change seats" }).click();
      await page.waitForURL(/\?done=seats/);
      await browser.step("seat change sent");
      // The demo app acknowledges the ChangeQuantity webhook; the page's script picks up the outcome.
      await page
        .locator("dl.facts dt:text-is('Seats') + dd", { hasText: /^12$/ })
        .waitFor({ timeout: 20_000 });
      expect(await fact(browser, "Status").textContent()).toBe("Active");
      expect((await subscriptionOf(server, subscriptionId)).quantity).toBe(12);
      await browser.step("seats changed");
    });
  });

  it("shows a private plan only to a buyer in the tenant of its audience", async ({ task }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Grace at Woodgrove Bank");
      const woodgrove = (await page.locator("main").textContent()) ?? "";
      expect(woodgrove).toContain("Contoso Analytics");
      expect(woodgrove).toContain("Professional");
      expect(woodgrove).not.toContain("Enterprise for Fabrikam");
      await browser.step("woodgrove storefront");

      browser.allowConsoleError(/status of 404/);
      await browser.open("/console/store/offers/contoso/contoso-analytics/fabrikam-enterprise");
      expect(await heading(browser)).toBe("Not found");
      await browser.step("woodgrove cannot open the private plan");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/signed-out=1/);
      await browser.step("signed out");
      await page.getByRole("button", { name: "Sign in as Ada at Fabrikam" }).click();
      await page.waitForURL("**/console/store");
      const card = page
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { name: "Enterprise for Fabrikam" }) });
      expect(await card.getByText("Private plan", { exact: true }).count()).toBe(1);
      await browser.step("fabrikam sees its private plan");
    });
  });

  it("keeps the entered values and shows the API's message when seats are out of range", async ({ task }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Ada at Fabrikam");
      await browser.open("/console/store/offers/contoso/contoso-crm/business");
      await page.getByLabel("Seats", { exact: true }).fill("2000");
      await page.getByLabel("$22.00 per seat per month for 1 year").check();
      await page.getByRole("button", { name: "Buy Business" }).click();
      // The browser's own check stops the form first.
      expect(page.url()).toMatch(/\/business$/);
      expect(
        await page
          .getByLabel("Seats", { exact: true })
          .evaluate((input) => (input as { validationMessage: string }).validationMessage),
      ).not.toBe("");
      await browser.step("the browser refuses 2000 seats");

      // Without it (an old browser, a script), the API refuses and the page says why.
      browser.allowConsoleError(/status of 400/);
      await page.locator("form[action$='/buy']").evaluate((form) => {
        (form as { noValidate: boolean }).noValidate = true;
      });
      await page.getByRole("button", { name: "Buy Business" }).click();
      await page.waitForURL(/\/buy$/);
      const alert = page.getByRole("alert");
      expect(await alert.textContent()).toContain("Plan business is sold for 5 to 1000 seats, not 2000.");
      const seats = page.getByLabel("Seats", { exact: true });
      expect(await seats.inputValue()).toBe("2000");
      expect(await seats.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByLabel("$22.00 per seat per month for 1 year").isChecked()).toBe(true);
      await browser.step("the api refuses 2000 seats");
    });
  });

  it("refuses a form posted without the session's anti-forgery token", async ({ task }) => {
    // Adatum's instant plan starts at purchase, so every form of the subscription page is there.
    const { subscriptionId } = await purchase(server, {
      offerId: "adatum-backup",
      planId: "instant",
      tenantId: fabrikam,
      name: "Fabrikam backup",
    });
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Ada at Fabrikam");
      await browser.open(`/console/store/subscriptions/${subscriptionId}`);
      await browser.step("subscription with its forms");
      browser.allowConsoleError(/status of 403/);
      const form = page.locator("form[action$='/auto-renew']");
      await form.locator("input[name=csrf]").evaluate((input) => input.remove());
      await form.getByRole("button").click();
      expect(await heading(browser)).toBe("This form has expired");
      await browser.step("refused without a token");

      await browser.open(`/console/store/subscriptions/${subscriptionId}`);
      await form.locator("input[name=csrf]").evaluate((input) => {
        (input as { value: string }).value = "forged";
      });
      await form.getByRole("button").click();
      expect(await heading(browser)).toBe("This form has expired");
      expect((await subscriptionOf(server, subscriptionId)).autoRenew).toBe(true);

      // With the page's own token, the same form works.
      await browser.open(`/console/store/subscriptions/${subscriptionId}`);
      await page.getByRole("button", { name: "Turn auto-renew off" }).click();
      await page.waitForURL(/\?done=auto-renew/);
      expect(await fact(browser, "Auto-renew").textContent()).toBe("Off");
      expect((await subscriptionOf(server, subscriptionId)).autoRenew).toBe(false);
      await browser.step("accepted with the token");
    });
  });

  it("fits a 360 px wide screen, starts with a skip link, and lets a reseller buy for a customer", async ({
    task,
  }) => {
    await inBrowser(
      server,
      task.name,
      async (browser) => {
        const { page } = browser;
        const fitsWidth = async () =>
          expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
        await browser.open("/console/sign-in");
        await fitsWidth();
        await browser.step("sign-in on a phone");
        await page.getByRole("button", { name: "Sign in as Linus at Northwind Traders" }).click();
        await page.waitForURL("**/console/store");

        await page.keyboard.press("Tab");
        expect(await page.evaluate("document.activeElement.className")).toBe("skip-link");
        await browser.step("skip link focused");
        await page.keyboard.press("Enter");
        expect(await page.evaluate("document.activeElement.id")).toBe("main");
        await fitsWidth();
        await browser.step("storefront on a phone");

        await page.getByRole("link", { name: "Choose Team of Contoso CRM" }).click();
        await page.getByLabel("Seats", { exact: true }).fill("3");
        await page.getByLabel("Customer tenant ID").fill(fabrikam);
        await page.getByLabel("Customer contact email (optional)").fill("it@fabrikam.example");
        await fitsWidth();
        await browser.step("reseller plan page on a phone");
        await page.getByRole("button", { name: "Buy Team" }).click();
        await page.waitForURL(/\/configure\?landing=/);
        expect(await fact(browser, "Reseller").textContent()).toBe(
          `Bought for the customer tenant ${fabrikam}`,
        );
        await fitsWidth();
        await browser.step("configure on a phone");

        await browser.open("/console/store/subscriptions");
        await fitsWidth();
        await browser.step("subscriptions on a phone");
      },
      { viewport: { width: 360, height: 740 } },
    );
  });
});
