import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/server.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { heading, signInAs } from "./personas.js";

describe.skipIf(!browserAvailable)("web console: the portal's plan editor in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  async function planOf(offerId: string, planId: string) {
    const response = await server.fetch(`/partner/v1/offers/${offerId}/plans/${planId}`, {
      headers: { authorization: `Bearer ${server.operatorKey}`, "x-saasport-publisher-id": "contoso" },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      displayName: string;
      stopSell: boolean;
      seats: { min: number; max: number } | null;
      billingTerms: { price: string }[];
    };
  }

  it("refuses a bad price next to its field, saves a change, stops and resumes the sale", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal");
      await page.getByRole("link", { name: "Edit Business of contoso-crm" }).click();
      expect(await heading(browser)).toBe("Contoso CRM: Business");
      await browser.step("the plan editor");

      browser.allowConsoleError(/status of 400/);
      const price = page.getByLabel(/^Price for 1 month/).first();
      await price.fill("lots");
      await page.getByLabel("Display name").fill("Business plus");
      await page.getByRole("button", { name: "Save the plan" }).click();
      expect(await page.getByRole("alert").textContent()).toContain("price");
      expect(await price.inputValue()).toBe("lots");
      expect(await price.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByLabel("Display name").inputValue()).toBe("Business plus");
      expect((await planOf("contoso-crm", "business")).displayName).toBe("Business");
      await browser.step("a bad price is refused next to the field");

      await price.fill("27.50");
      await page.getByLabel("Maximum seats").fill("500");
      await page.getByRole("button", { name: "Save the plan" }).click();
      await page.waitForURL(/\?done=saved/);
      expect(await heading(browser)).toBe("Contoso CRM: Business plus");
      const saved = await planOf("contoso-crm", "business");
      expect(saved.displayName).toBe("Business plus");
      expect(saved.seats?.max).toBe(500);
      expect(saved.billingTerms.map((term) => term.price)).toContain("27.50");
      await browser.step("the plan saved");

      await page.getByRole("button", { name: "Stop sell" }).click();
      await page.waitForURL(/\?done=stop-sell/);
      expect(await page.locator("#sale-status").textContent()).toContain("Stopped");
      expect((await planOf("contoso-crm", "business")).stopSell).toBe(true);
      await browser.step("sale stopped");

      await page.getByRole("button", { name: "Resume sell" }).click();
      await page.waitForURL(/\?done=resume-sell/);
      expect(await page.locator("#sale-status").textContent()).toContain("On sale");
      expect((await planOf("contoso-crm", "business")).stopSell).toBe(false);
      await browser.step("sale resumed");
    });
  });
});
