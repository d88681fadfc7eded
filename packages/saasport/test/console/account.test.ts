import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoContosoToken } from "../demo-isv/support.js";
import { api, purchase } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { fact, heading, signInAs } from "./personas.js";

const fabrikam = "33333333-3333-3333-3333-333333333333";
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

describe.skipIf(!browserAvailable)("web console: private offers and invoices in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  async function operator(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await server.fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${server.operatorKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  it("a buyer accepts a private offer and then sees its private price in the storefront", async ({
    task,
  }) => {
    const now = new Date();
    await operator(
      "POST",
      "/partner/v1/private-offers",
      {
        name: "Fabrikam analytics deal",
        offerId: "contoso-analytics",
        customerTenantId: fabrikam,
        acceptBy: isoDay(new Date(now.getTime() + 30 * 86_400_000)),
        validFrom: isoDay(now),
        validTo: isoDay(new Date(now.getTime() + 365 * 86_400_000)),
        plans: [{ planId: "professional", discountPercent: "20" }],
      },
      { "x-saasport-publisher-id": "contoso" },
    );
    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Ada at Fabrikam");
      await page.getByRole("navigation").getByRole("link", { name: "Private offers" }).click();
      const offer = page.getByRole("region", { name: "Fabrikam analytics deal" });
      expect(await offer.textContent()).toContain("Professional: 20% off");
      expect(await offer.textContent()).toContain("$159.20 for 1 month, paid upfront (list price $199.00)");
      await browser.step("private offer waiting");
      await offer.getByRole("button", { name: "Accept Fabrikam analytics deal" }).click();
      await page.waitForURL(/done=accepted/);
      expect(await page.getByRole("status").first().textContent()).toContain("Accepted");
      await browser.step("private offer accepted");

      await page.getByRole("navigation").getByRole("link", { name: "Storefront" }).click();
      const card = page
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { name: "Professional", exact: true }) });
      expect(await card.getByText("Private price", { exact: true }).count()).toBe(1);
      expect(await card.textContent()).toContain("20% off the list price");
      await browser.step("storefront with the private price");
    });
  });

  it("lists the invoices of the buyer's billing account, with lines and a CSV download", async ({ task }) => {
    const { subscriptionId } = await purchase(server, {
      offerId: "contoso-analytics",
      planId: "starter",
      termUnit: "P1M",
      tenantId: fabrikam,
      name: "Fabrikam reporting",
    });
    const activated = await api(server, await demoContosoToken(server))(
      "POST",
      `/saas/subscriptions/${subscriptionId}/activate`,
      { body: {} },
    );
    expect(activated.status).toBe(200);
    await operator("POST", "/operator/v1/billing/run");
    await operator("POST", "/operator/v1/clock/advance", { duration: "P2M" });
    await operator("POST", "/operator/v1/billing/run");

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Ada at Fabrikam");
      await page.getByRole("navigation").getByRole("link", { name: "Invoices" }).click();
      expect(await heading(browser)).toBe("Invoices");
      const rows = page.locator("tbody tr");
      expect(await rows.count()).toBeGreaterThan(0);
      expect(await page.locator("tbody").textContent()).toContain("$49.00");
      await browser.step("invoices");

      await rows.first().getByRole("link").click();
      expect(await heading(browser)).toMatch(/^Invoice for \d{4}-\d{2}$/);
      expect(await fact(browser, "Billing account").textContent()).toBe(fabrikam);
      expect(await page.locator("table").textContent()).toContain("contoso-analytics · starter");
      await browser.step("one invoice");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download this invoice (CSV)" }).click(),
      ]);
      const csv = await new Promise<string>((resolve, reject) => {
        download
          .createReadStream()
          .then((stream) => {
            let text = "";
            stream.on("data", (chunk: Buffer) => {
              text += chunk.toString("utf8");
            });
            stream.on("end", () => resolve(text));
            stream.on("error", reject);
          })
          .catch(reject);
      });
      expect(csv.split("\n")[0]).toContain("amount");
      expect(csv).toContain(subscriptionId);
    });
  });
});
