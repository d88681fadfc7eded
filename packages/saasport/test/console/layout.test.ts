import { randomUUID } from "node:crypto";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operator, purchase } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { deliveriesOf, until } from "./api-reads.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { signInAs } from "./personas.js";

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error("the element is not shown");
  return found;
}

describe.skipIf(!browserAvailable)("web console: page layout at desktop and phone widths", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  it("the operator's invoice filters sit in one row, and its buttons and the list keep their distance", async ({
    task,
  }) => {
    await purchase(server, { offerId: "adatum-backup", planId: "instant", tenantId: randomUUID() });
    await operator(server)("POST", "/clock/advance", { duration: "P1M" });

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Marketplace operator");
      await browser.open("/console/operator/invoices");
      const status = await box(page.getByLabel("Status"));
      const month = await box(page.getByLabel("Month"));
      expect(Math.abs(status.y + status.height - (month.y + month.height))).toBeLessThan(2);
      expect(month.x).toBeGreaterThan(status.x + status.width);
      const actions = await box(page.locator("main > .actions"));
      const table = await box(page.locator("main > table"));
      expect(table.y - (actions.y + actions.height)).toBeGreaterThanOrEqual(12);
      await browser.step("invoices at desktop width");

      await page.setViewportSize({ width: 390, height: 800 });
      const narrowActions = await box(page.locator("main > .actions"));
      const firstRow = await box(page.locator("main > table tbody tr").first());
      expect(firstRow.y - (narrowActions.y + narrowActions.height)).toBeGreaterThanOrEqual(12);
      await browser.step("invoices at phone width");
    });
  });

  it("a webhook delivery is framed like the other cards, and table captions span phone-width tables", async ({
    task,
  }) => {
    const { subscriptionId } = await purchase(server, {
      offerId: "contoso-analytics",
      planId: "starter",
      tenantId: randomUUID(),
      name: "Layout check",
    });
    await operator(server)("DELETE", `/subscriptions/${subscriptionId}`);
    await until(
      () => deliveriesOf(server, subscriptionId),
      (deliveries) => deliveries.some((delivery) => delivery.status !== "pending"),
    );

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Contoso Ltd.");
      await browser.open(`/console/portal/subscriptions/${subscriptionId}`);
      // A string, as the accessibility audit is: the tests are compiled without DOM types.
      const edges = (selector: string) =>
        page.evaluate(
          `(() => { const style = getComputedStyle(document.querySelector(${JSON.stringify(selector)}));
            return [style.borderLeftWidth, style.borderLeftColor, style.borderTopColor]; })()`,
        );
      expect(await edges("article.delivery")).toEqual(await edges("section.card"));
      await browser.step("delivery card at desktop width");

      await page.setViewportSize({ width: 390, height: 800 });
      await browser.open("/console/portal/credentials");
      const table = page.getByRole("table", { name: /client secrets/ });
      const caption = await box(table.locator("caption"));
      expect(caption.width).toBeGreaterThan((await box(table)).width * 0.9);
      await browser.step("credentials at phone width");
    });
  });
});
