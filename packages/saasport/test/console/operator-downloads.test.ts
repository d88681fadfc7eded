import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operator, purchase } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { signInAs } from "./personas.js";

/** Clicks a download link and reads the file the browser saved. */
async function download(page: Page, linkName: string): Promise<{ name: string; text: string }> {
  const [saved] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: linkName }).click(),
  ]);
  const stream = await saved.createReadStream();
  let text = "";
  for await (const chunk of stream) text += (chunk as Buffer).toString("utf8");
  return { name: saved.suggestedFilename(), text };
}

describe.skipIf(!browserAvailable)("web console: the operator's CSV downloads in a browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => server?.stop());

  it("downloads the invoices shown and the payout statements as CSV files", async ({ task }) => {
    const tenantId = randomUUID();
    await purchase(server, { offerId: "adatum-backup", planId: "instant", tenantId, name: "CSV backup" });
    await operator(server)("POST", "/clock/advance", { duration: "P1M" });
    const listed = await operator(server)("GET", `/invoices?billingAccount=${tenantId}`);
    const [invoice] = (listed.json as { invoices: { id: string; month: string }[] }).invoices;
    expect(invoice).toBeDefined();
    expect((await operator(server)("POST", `/invoices/${invoice?.id}/pay`)).status).toBe(200);

    await inBrowser(server, task.name, async (browser) => {
      const { page } = browser;
      await signInAs(browser, "Marketplace operator");
      await browser.open(`/console/operator/invoices?status=paid&month=${invoice?.month}`);
      await browser.step("paid invoices of the month");
      const invoices = await download(page, "Download the invoices shown as CSV");
      expect(invoices.name).toBe("invoices.csv");
      const [header, ...records] = invoices.text.trimEnd().split("\r\n");
      expect(header).toBe(
        "id,billingAccount,month,currency,status,total,lineCount,issuedAt,paidAt,failedAt,testClock",
      );
      expect(records.some((record) => record.includes(tenantId))).toBe(true);
      expect(records.every((record) => record.includes(",paid,"))).toBe(true);

      await page.getByRole("navigation").getByRole("link", { name: "Payouts" }).click();
      await browser.step("payout statements");
      const payouts = await download(page, "Download the payout statements as CSV");
      expect(payouts.name).toMatch(/^payouts-all.*\.csv$/);
      const [payoutHeader, ...statements] = payouts.text.trimEnd().split("\r\n");
      expect(payoutHeader).toMatch(/^publisherId,month,currency,collected,storeFeePercent,storeFee,payout/);
      expect(statements.some((statement) => statement.startsWith("adatum,"))).toBe(true);
    });
  });
});
