import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purchase } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { scrollsSideways } from "./accessibility.js";
import { type BrowserTest, browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { heading, signInAs } from "./personas.js";

const fabrikam = "33333333-3333-3333-3333-333333333333";
const northwind = "44444444-4444-4444-4444-444444444444";

describe.skipIf(!browserAvailable)("web console: editing offers, terms, meter prices in the portal", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  async function partner<T>(path: string): Promise<T> {
    const response = await server.fetch(`/partner/v1${path}`, {
      headers: { authorization: `Bearer ${server.operatorKey}`, "x-saasport-publisher-id": "contoso" },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  /** Nothing on the page is wider than a 360 px phone screen. */
  async function fitsNarrowScreen(browser: BrowserTest) {
    expect(await browser.page.evaluate(scrollsSideways)).toBe(false);
  }

  it("edits an offer's name, description and preview flag, refusing an empty name next to the field", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal");
      await page.getByRole("link", { name: "Edit the offer Contoso Analytics" }).click();
      expect(await heading(browser)).toBe("Contoso Analytics");
      await browser.step("the offer editor");

      browser.allowConsoleError(/status of 400/);
      const name = page.getByLabel("Display name");
      await name.fill("");
      await page.getByLabel("Description").fill("Dashboards for every team.");
      await page.getByRole("button", { name: "Save the offer" }).click();
      expect(await page.getByRole("alert").textContent()).toContain("The offer was not saved");
      expect(await name.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#displayName-error").textContent()).toBe("Display name must not be empty");
      expect(await page.getByLabel("Description").inputValue()).toBe("Dashboards for every team.");
      expect((await partner<{ displayName: string }>("/offers/contoso-analytics")).displayName).toBe(
        "Contoso Analytics",
      );
      await browser.step("an empty name refused next to the field");

      await name.fill("Contoso Insights");
      await page.getByRole("button", { name: "Save the offer" }).click();
      await page.waitForURL(/\?done=saved/);
      expect(await heading(browser)).toBe("Contoso Insights");
      expect(await page.getByRole("status").first().textContent()).toContain("The offer is saved");
      const saved = await partner<{ displayName: string; description: string; preview: boolean }>(
        "/offers/contoso-analytics",
      );
      expect(saved).toMatchObject({
        displayName: "Contoso Insights",
        description: "Dashboards for every team.",
        preview: false,
      });
      expect(await page.locator("#pricing-model-fixed").textContent()).toContain("Flat rate");
      await browser.step("the offer saved");
    });
  });

  it("adds a billing term to a plan, refusing a bad price and an extended term next to their fields", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal");
      await page.getByRole("link", { name: "Edit Starter of contoso-analytics" }).click();
      const section = page.getByRole("region", { name: "Add a billing term" });
      expect(await section.getByLabel("Term").inputValue()).toBe("P2Y");
      expect(await section.getByLabel("Currency").inputValue()).toBe("USD");
      await browser.step("the add-a-term form");

      browser.allowConsoleError(/status of 400/);
      await section.getByLabel("Payment option").selectOption("annual");
      await section.getByLabel("Price of one payment").fill("lots");
      await section.getByRole("button", { name: "Add the billing term" }).click();
      const price = page
        .getByRole("region", { name: "Add a billing term" })
        .getByLabel("Price of one payment");
      expect(await price.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#new-price-error").textContent()).toContain("price");
      expect(await price.inputValue()).toBe("lots");
      expect(await page.getByLabel("Payment option").inputValue()).toBe("annual");
      await browser.step("a bad price refused next to the field");

      await page.getByLabel("Term", { exact: true }).selectOption("P5Y");
      await price.fill("900.00");
      await page.getByRole("button", { name: "Add the billing term" }).click();
      expect(await page.locator("#new-termUnit-error").textContent()).toContain("allowExtendedTerms");
      expect(await page.getByLabel("Term", { exact: true }).getAttribute("aria-invalid")).toBe("true");
      await browser.step("an extended term refused next to the field");

      await page.getByLabel("Term", { exact: true }).selectOption("P2Y");
      await page.getByRole("button", { name: "Add the billing term" }).click();
      await page.waitForURL(/\?done=term-added/);
      expect(await page.getByRole("status").first().textContent()).toContain("billing term is added");
      expect(await page.getByLabel(/^Price for 2 years/).inputValue()).toBe("900.00");
      const plan = await partner<{
        billingTerms: { termUnit: string; price: string; paymentOption: string }[];
      }>("/offers/contoso-analytics/plans/starter");
      expect(plan.billingTerms).toContainEqual(
        expect.objectContaining({ termUnit: "P2Y", price: "900.00", paymentOption: "annual" }),
      );
      expect(plan.billingTerms).toHaveLength(3);
      await browser.step("the term added");
    });
  });

  it("sets meter prices on a private offer, refusing a bad one and one on a plan without meters next to the field", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal/private-offers");
      await page.getByLabel("Name").fill("Fabrikam metered deal");
      await page.getByLabel("Offer", { exact: true }).selectOption("contoso-analytics");
      await page.getByLabel("Customer tenant ID").fill(fabrikam);
      await page.getByLabel("Accept by").fill("2098-02-28");
      await page.getByLabel("Valid from").fill("2098-03-01");
      await page.getByLabel("Valid to").fill("2099-02-28");
      await page.getByLabel("Plan 1", { exact: true }).selectOption("starter");
      await page.getByLabel("Plan 1 absolute price").fill("40.00");
      const apiCalls = page.getByLabel("Plan 1 price per 1,000 calls: API calls (api-calls)");
      await apiCalls.fill("cheap");
      await page.getByLabel("Plan 2", { exact: true }).selectOption("legacy");
      await page.getByLabel("Plan 2 absolute price").fill("20.00");
      await page.getByLabel("Plan 2 price per GB per month: Storage (storage-gb)").fill("0.05");
      browser.allowConsoleError(/status of 400/);
      await page.getByRole("button", { name: "Create private offer" }).click();
      expect(await apiCalls.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#meter0-api-calls-error").textContent()).toContain(
        "The meter price for api-calls",
      );
      expect(await page.locator("#meter1-storage-gb-error").textContent()).toContain(
        'has no metering dimension "storage-gb"',
      );
      expect(await apiCalls.inputValue()).toBe("cheap");
      expect(await page.getByLabel("Plan 1 absolute price").inputValue()).toBe("40.00");
      await browser.step("bad meter prices refused next to their fields");

      await apiCalls.fill("0.008");
      await page.getByLabel("Plan 2", { exact: true }).selectOption("");
      await page.getByLabel("Plan 2 absolute price").fill("");
      await page.getByLabel("Plan 2 price per GB per month: Storage (storage-gb)").fill("");
      await page.getByRole("button", { name: "Create private offer" }).click();
      await page.waitForURL(/\?done=created/);
      const row = page.getByRole("row", { name: /Fabrikam metered deal/ });
      expect(await row.textContent()).toContain("starter: 40.00 USD; per unit api-calls 0.008");
      const { privateOffers } = await partner<{
        privateOffers: { name: string; plans: { dimensionPrices?: Record<string, string> }[] }[];
      }>("/private-offers");
      const created = privateOffers.find((offer) => offer.name === "Fabrikam metered deal");
      expect(created?.plans[0]?.dimensionPrices).toEqual({ "api-calls": "0.008" });
      await browser.step("created with a meter price");
    });
  });

  it("lists subscriptions through the partner API, filtered by offer and buyer tenant, on a narrow screen", async ({
    task,
  }) => {
    await purchase(server, {
      offerId: "contoso-analytics",
      planId: "starter",
      termUnit: "P1M",
      tenantId: fabrikam,
      name: "Fabrikam listed analytics",
    });
    await purchase(server, {
      offerId: "contoso-crm",
      planId: "team",
      termUnit: "P1M",
      quantity: 2,
      tenantId: northwind,
      name: "Northwind listed CRM",
    });
    await inBrowser(
      server,
      task.name,
      async (browser) => {
        const { page } = browser;
        await signInAs(browser, "Contoso Ltd.");
        await browser.open("/console/portal/subscriptions");
        expect(await page.getByRole("row", { name: /Fabrikam listed analytics/ }).count()).toBe(1);
        expect(await page.getByRole("row", { name: /Northwind listed CRM/ }).count()).toBe(1);
        await fitsNarrowScreen(browser);
        await browser.step("every subscription");

        await page.getByLabel("Offer", { exact: true }).selectOption("contoso-crm");
        await page.getByRole("button", { name: "Filter" }).click();
        await page.waitForURL(/offerId=contoso-crm/);
        expect(await page.getByRole("row", { name: /Fabrikam listed analytics/ }).count()).toBe(0);
        expect(await page.getByRole("row", { name: /Northwind listed CRM/ }).count()).toBe(1);
        await browser.step("filtered by offer");

        browser.allowConsoleError(/status of 400/);
        await page.getByLabel("Offer", { exact: true }).selectOption("");
        await page.getByLabel("Buyer tenant").fill("not-a-tenant");
        await page.getByRole("button", { name: "Filter" }).click();
        const tenant = page.getByLabel("Buyer tenant");
        expect(await tenant.getAttribute("aria-invalid")).toBe("true");
        expect(await page.locator("#beneficiaryTenantId-error").textContent()).toContain("Buyer tenant");
        await fitsNarrowScreen(browser);
        await browser.step("a bad tenant refused next to the field");

        await tenant.fill(fabrikam);
        await page.getByRole("button", { name: "Filter" }).click();
        await page.waitForURL(/beneficiaryTenantId=/);
        expect(await page.getByRole("row", { name: /Fabrikam listed analytics/ }).count()).toBe(1);
        expect(await page.getByRole("row", { name: /Northwind listed CRM/ }).count()).toBe(0);
        await browser.step("filtered by buyer tenant");

        await browser.open("/console/portal/offers/contoso-crm");
        await fitsNarrowScreen(browser);
        await browser.step("the offer editor on a narrow screen");
      },
      { viewport: { width: 360, height: 740 } },
    );
  });
});
