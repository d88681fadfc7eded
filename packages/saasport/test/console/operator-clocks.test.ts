import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/server.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { heading, signInAs } from "./personas.js";

/** "2026-05-02 10:11:12 UTC" as milliseconds. */
const instantOf = (text: string) => Date.parse(text.replace(" UTC", "Z").replace(" ", "T"));

describe.skipIf(!browserAvailable)("web console: the operator's test clocks in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  /** Adatum's instant plan (monthly, active at purchase) bought on a test clock. */
  async function buyOnTestClock(testClock: string, name: string): Promise<void> {
    const response = await server.fetch("/store/v1/purchases", {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        offerId: "adatum-backup",
        planId: "instant",
        name,
        testClock,
        beneficiary: { tenantId: randomUUID(), emailId: "ada@buyer.example" },
      }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
  }

  it("creates a test clock (refusing bad names) and moves it a day, a month and to its next renewal", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Marketplace operator");
      await page.getByRole("navigation").getByRole("link", { name: "Test clocks" }).click();
      expect(await heading(browser)).toBe("Test clocks");
      expect(await page.locator("#no-test-clocks").count()).toBe(1);
      await browser.step("no test clock yet");

      browser.allowConsoleError(/clocks: .*status of 400/);
      await page.getByRole("button", { name: "Create the test clock" }).click();
      const name = page.getByLabel("Name", { exact: true });
      expect(await name.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#name-error").textContent()).toBe("Enter a name for the test clock.");
      await name.fill("spring sale!");
      await name.press("Enter");
      await page.locator("#name-error").waitFor();
      expect(await page.locator("#name-error").textContent()).toMatch(/1 to 64 characters/);
      expect(await name.inputValue()).toBe("spring sale!");
      await browser.step("a bad name is refused next to the field");

      // By keyboard: the field, then Enter submits the form.
      await name.fill("spring-sale");
      await name.press("Enter");
      await page.waitForURL(/created=spring-sale/);
      expect(await page.getByRole("status").textContent()).toContain("Test clock spring-sale is created");
      const row = page.locator('tr[data-clock="spring-sale"]');
      const timeOf = async () => (await row.locator(".clock-now").textContent()) ?? "";
      const created = await timeOf();
      expect(created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
      await browser.step("a test clock created");

      await page.getByRole("button", { name: "Advance a day on spring-sale" }).click();
      await page.waitForURL(/moved=day/);
      expect(await page.locator("#move-result h2").textContent()).toBe(
        "Test clock spring-sale moved by a day",
      );
      const dayLater = await timeOf();
      // Test clocks run on from where they were moved, so a little real time is added.
      const moved = instantOf(dayLater) - instantOf(created);
      expect(moved).toBeGreaterThanOrEqual(86_400_000);
      expect(moved).toBeLessThan(86_400_000 + 60_000);
      expect(await row.textContent()).toContain("1 day");
      await browser.step("advanced a day");

      await page.getByRole("button", { name: "Advance a month on spring-sale" }).click();
      await page.waitForURL(/moved=month/);
      expect(await page.locator("#move-result h2").textContent()).toBe(
        "Test clock spring-sale moved by a month",
      );
      expect(await timeOf()).not.toBe(dayLater);
      await browser.step("advanced a month");

      await buyOnTestClock("spring-sale", "Test clock backup");
      await page.reload();
      expect(await row.textContent()).toContain("Test clock backup");
      await page.getByRole("button", { name: "Advance to the next renewal on spring-sale" }).click();
      await page.waitForURL(/moved=renewal/);
      expect(await page.locator('#move-result dd[data-count="renewed"]').textContent()).toBe("1");
      await browser.step("advanced to the next renewal: the subscription renewed");
    });
  });
});
