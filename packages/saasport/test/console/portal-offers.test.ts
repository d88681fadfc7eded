import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/server.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { heading, signInAs } from "./personas.js";

const fabrikam = "33333333-3333-3333-3333-333333333333";

describe.skipIf(!browserAvailable)("web console: portal credentials and private offers in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  it("creates a client secret, shown once, that gets a token, and revokes it after a confirmation", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal");
      await page.getByRole("link", { name: "Credentials", exact: true }).click();
      await page.waitForURL("**/console/portal/credentials");
      expect(await heading(browser)).toBe("Credentials");
      await browser.step("client secrets");

      await page.getByLabel("Description").fill("browser test");
      await page.getByLabel("Expires in days").fill("30");
      await page.getByRole("button", { name: "Create a client secret" }).click();
      const shown = page.locator("#created-secret");
      const secret = ((await shown.textContent()) ?? "").trim();
      expect(secret).toMatch(/^sps~/);
      expect(await page.getByRole("status").first().textContent()).toContain("shown this once");
      await browser.step("the new secret, shown once");

      const token = () =>
        server.fetch("/11111111-1111-1111-1111-111111111111/oauth2/v2.0/token", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: "aaaaaaaa-1111-1111-1111-111111111111",
            client_secret: secret,
            scope: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default",
          }),
        });
      expect((await token()).status).toBe(200);

      await browser.open("/console/portal/credentials");
      expect((await page.locator("main").textContent()) ?? "").not.toContain(secret);
      const row = page.getByRole("row", { name: /browser test/ });
      browser.allowConsoleError(/status of 400/);
      await row.getByRole("button", { name: "Revoke" }).click();
      expect(await page.locator(".field-error").first().textContent()).toContain("Tick the box");
      await browser.step("revoke refused without confirmation");

      await page
        .getByRole("row", { name: /browser test/ })
        .getByRole("checkbox")
        .check();
      await page
        .getByRole("row", { name: /browser test/ })
        .getByRole("button", { name: "Revoke" })
        .click();
      await page.waitForURL(/\?done=revoked/);
      expect(await page.getByRole("row", { name: /browser test/ }).textContent()).toContain("Revoked");
      expect((await token()).status).toBe(401);
      await browser.step("revoked");
    });
  });

  it("refuses a private offer with a bad date next to the field, keeps the values, then creates and withdraws one", async ({
    task,
  }) => {
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open("/console/portal");
      await page.getByRole("link", { name: "Private offers", exact: true }).click();
      await page.waitForURL("**/console/portal/private-offers");
      expect(await heading(browser)).toBe("Private offers");
      await browser.step("private offers");

      await page.getByLabel("Name").fill("Fabrikam launch deal");
      await page.getByLabel("Offer", { exact: true }).selectOption("contoso-analytics");
      await page.getByLabel("Customer tenant ID").fill(fabrikam);
      await page.getByLabel("Accept by").fill("2098-02-30");
      await page.getByLabel("Valid from").fill("2098-03-01");
      await page.getByLabel("Valid to").fill("2099-02-28");
      await page.getByLabel("Plan 1", { exact: true }).selectOption("starter");
      await page.getByLabel("Plan 1 discount percent").fill("20");
      browser.allowConsoleError(/status of 400/);
      await page.getByRole("button", { name: "Create private offer" }).click();
      const acceptBy = page.getByLabel("Accept by");
      expect(await acceptBy.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#acceptBy-error").textContent()).toMatch(/Accept by.*date/);
      expect(await acceptBy.inputValue()).toBe("2098-02-30");
      expect(await page.getByLabel("Name").inputValue()).toBe("Fabrikam launch deal");
      expect(await page.getByLabel("Plan 1 discount percent").inputValue()).toBe("20");
      expect(await page.getByLabel("Plan 1", { exact: true }).inputValue()).toBe("starter");
      await browser.step("bad date refused, values kept");

      // Errors about the plans as a group, or about one plan's row, are tied to the plan's dropdown.
      const planSelect = page.getByLabel("Plan 1", { exact: true });
      /** What a screen reader reads as the control's description: the texts its aria-describedby names. */
      const description = async (locator: typeof planSelect) => {
        const ids = ((await locator.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
        const texts = await Promise.all(ids.map((id) => page.locator(`#${id}`).textContent()));
        return texts.map((text) => (text ?? "").trim()).join(" | ");
      };
      await acceptBy.fill("2098-02-28");
      await planSelect.selectOption("");
      await page.getByLabel("Plan 1 discount percent").fill("");
      await page.getByRole("button", { name: "Create private offer" }).click();
      expect(await page.locator("#plans-error").textContent()).toBe("Choose at least one plan.");
      expect(await planSelect.getAttribute("aria-invalid")).toBe("true");
      expect(await planSelect.getAttribute("aria-describedby")).toBe("plans-error");
      expect(await description(planSelect)).toBe(await page.locator("#plans-error").textContent());
      expect(await page.getByLabel("Plan 2", { exact: true }).getAttribute("aria-invalid")).toBeNull();
      await browser.step("no plan refused, the error tied to the first plan");

      await planSelect.selectOption("starter");
      await page.getByLabel("Plan 1 discount percent").fill("20");
      await page.getByLabel("Plan 1 absolute price").fill("49.00");
      await page.getByRole("button", { name: "Create private offer" }).click();
      const rowError = page.locator("#plan0-row-error");
      expect(await rowError.textContent()).toMatch(/exactly one/);
      expect(await planSelect.getAttribute("aria-invalid")).toBe("true");
      expect(await planSelect.getAttribute("aria-describedby")).toBe("plan0-row-error");
      expect(await description(planSelect)).toMatch(/exactly one/);
      const discount = page.getByLabel("Plan 1 discount percent");
      expect(await discount.getAttribute("aria-invalid")).toBe("true");
      expect(await discount.getAttribute("aria-describedby")).toBe("discount0-hint plan0-row-error");
      expect(await page.locator("#plans-error").count()).toBe(0);
      await browser.step("discount and price refused, the row's error tied to its fields");

      await page.getByLabel("Plan 1 absolute price").fill("");
      await page.getByRole("button", { name: "Create private offer" }).click();
      await page.waitForURL(/\?done=created/);
      const row = page.getByRole("row", { name: /Fabrikam launch deal/ });
      expect(await row.textContent()).toContain("Pending");
      expect(await row.textContent()).toContain("starter: 20% off");
      await browser.step("created, pending");

      await row.getByRole("button", { name: /Withdraw/ }).click();
      await page.waitForURL(/\?done=withdrawn/);
      const withdrawn = page.getByRole("row", { name: /Fabrikam launch deal/ });
      expect(await withdrawn.textContent()).toContain("Withdrawn");
      expect(await withdrawn.getByRole("button").count()).toBe(0);
      await browser.step("withdrawn");
    });
  });
});
