import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestToken } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { scrollsSideways } from "./accessibility.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { heading, signInAs } from "./personas.js";

describe.skipIf(!browserAvailable)("web console: the operator's publishers in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  /** Whether the token service accepts the secret for the app, as the publisher's app would ask. */
  async function tokenStatus(tenantId: string, appId: string, secret: string): Promise<number> {
    return (await requestToken(server, { tenantId, appId, secret })).status;
  }

  it("refuses a publisher with bad fields, creates one with its secret shown once, and adds a secret", async ({
    task,
  }) => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    await inBrowser(
      server,
      task.name,
      async (browser) => {
        const { page } = browser;
        await signInAs(browser, "Marketplace operator");
        await browser.open("/console/operator/publishers");
        expect(await heading(browser)).toBe("Publishers");
        expect(await page.getByRole("row", { name: /contoso/i }).count()).toBeGreaterThanOrEqual(1);
        expect(await page.evaluate(scrollsSideways)).toBe(false);
        await browser.step("publishers on a narrow screen");

        browser.allowConsoleError(/publishers: .*status of 400/);
        await page.getByLabel("Publisher ID").fill("Tailspin Toys");
        await page.getByLabel("Tenant ID").fill("not-a-guid");
        await page.getByRole("button", { name: "Create the publisher" }).click();
        await page.getByRole("alert").waitFor();
        expect(await page.getByRole("alert").textContent()).toContain("The publisher was not created");
        for (const label of ["Publisher ID", "Tenant ID", "App (client) ID", "Landing page URL"]) {
          expect(await page.getByLabel(label).getAttribute("aria-invalid"), label).toBe("true");
        }
        expect(await page.locator("#publisher-tenantId-error").textContent()).toMatch(
          /^Tenant id must be a GUID/,
        );
        expect(await page.locator("#publisher-landingPageUrl-error").textContent()).toMatch(
          /^Landing page URL must be an absolute http or https URL/,
        );
        expect(await page.getByLabel("Publisher ID").inputValue()).toBe("Tailspin Toys");
        expect(await page.evaluate(scrollsSideways)).toBe(false);
        await browser.step("bad fields are refused, each next to its field");

        await page.getByLabel("Publisher ID").fill("tailspin");
        await page.getByLabel("Display name (optional)").fill("Tailspin Toys");
        await page.getByLabel("Tenant ID").fill(tenantId);
        await page.getByLabel("App (client) ID").fill(appId);
        await page.getByLabel("Landing page URL").fill("https://tailspin.example/landing");
        await page.getByLabel("Webhook URL").fill("https://tailspin.example/webhook");
        await page.getByRole("button", { name: "Create the publisher" }).click();
        await page.locator("#created-publisher").waitFor();
        expect(await page.locator("#created-publisher h2").textContent()).toBe(
          "Publisher Tailspin Toys is created",
        );
        const generated = (await page.locator("#created-secret").textContent()) ?? "";
        expect(await tokenStatus(tenantId, appId, generated)).toBe(200);
        expect(await page.getByRole("row", { name: /Tailspin Toys/ }).count()).toBe(1);
        await browser.step("the publisher is created, its client secret shown once");

        await page.getByLabel("Description of a new client secret (optional)").fill("Staging app");
        await page.getByRole("button", { name: "Create a client secret", exact: true }).click();
        await page.locator("#created-secret-card").waitFor();
        const added = (await page.locator("#created-secret").textContent()) ?? "";
        expect(added).not.toBe(generated);
        expect(await tokenStatus(tenantId, appId, added)).toBe(200);
        await browser.step("a second client secret, shown once");

        await browser.open("/console/operator/publishers");
        expect(await page.locator("#created-secret").count()).toBe(0);
        await browser.step("the secret is not shown again");
      },
      { viewport: { width: 360, height: 740 } },
    );
  });
});
