import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { operator, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { browserAvailable, inBrowser, startDemoServer } from "./browser.js";
import { hiddenValue, visitor } from "./http-client.js";
import { fact, signInAs } from "./personas.js";

const events = ["payment-failed", "payment-recovered", "renew"] as const;

/** A subscription on Adatum's instant plan, which starts at purchase, for a tenant of its own. */
async function activeSubscription(server: TestServer, name: string): Promise<string> {
  const { subscriptionId } = await purchase(server, {
    offerId: "adatum-backup",
    planId: "instant",
    tenantId: randomUUID(),
    name,
  });
  return subscriptionId;
}

/** The operator cancels the subscription; it is Unsubscribed once the background work ran. */
async function cancel(server: TestServer, subscriptionId: string): Promise<void> {
  const cancelled = await operator(server)("DELETE", `/subscriptions/${subscriptionId}`);
  expect(cancelled.status, JSON.stringify(cancelled.json)).toBeLessThan(300);
  await expect
    .poll(async () => {
      await server.handle.runBackgroundWork();
      const answer = await operator(server)("GET", `/subscriptions/${subscriptionId}`);
      return (answer.json as { saasSubscriptionStatus: string }).saasSubscriptionStatus;
    })
    .toBe("Unsubscribed");
}

async function cancelledSubscription(server: TestServer, name: string): Promise<string> {
  const subscriptionId = await activeSubscription(server, name);
  await cancel(server, subscriptionId);
  return subscriptionId;
}

describe.each(databaseKinds)(
  "web console: billing events on a cancelled subscription, over HTTP, on %s",
  (kind) => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ database: kind, settings: { demoCatalog: true } });
    });
    afterAll(async () => server?.stop());

    it("lists no billing event for it in the operator API, and refuses each with 400", async () => {
      const subscriptionId = await cancelledSubscription(server, "Cancelled over the API");
      const call = operator(server);
      const shown = await call("GET", `/subscriptions/${subscriptionId}`);
      expect(shown.json).toMatchObject({ saasSubscriptionStatus: "Unsubscribed", allowedBillingEvents: [] });
      for (const event of events) {
        const refused = await call("POST", `/subscriptions/${subscriptionId}/${event}`);
        expect(refused.status).toBe(400);
        expect(refused.json).toMatchObject({
          error: { code: "BadRequest", message: expect.stringContaining("The subscription is Unsubscribed") },
        });
      }
      const active = await purchase(server, {
        offerId: "adatum-backup",
        planId: "instant",
        tenantId: randomUUID(),
      });
      const listed = await call("GET", `/subscriptions/${active.subscriptionId}`);
      expect(listed.json).toMatchObject({
        saasSubscriptionStatus: "Subscribed",
        allowedBillingEvents: ["payment-failed", "renew"],
      });
    });

    it("offers no billing event on the page, and answers a posted one with a page that says why", async () => {
      const subscriptionId = await cancelledSubscription(server, "Cancelled in the console");
      const browser = visitor(server);
      const signIn = await browser.get("/console/sign-in");
      const signedIn = await browser.post("/console/sign-in/persona", {
        csrf: hiddenValue(signIn.text, "csrf"),
        persona: "operator",
      });
      expect(signedIn.status).toBe(303);

      const path = `/console/operator/subscriptions/${subscriptionId}`;
      const page = await browser.get(path);
      expect(page.status).toBe(200);
      for (const event of events) expect(page.text).not.toContain(`${path}/${event}"`);
      expect(page.text).toContain("The subscription is cancelled");
      const csrf = hiddenValue(page.text, "csrf");
      expect(csrf).not.toBe("");

      for (const event of events) {
        const refused = await browser.post(`${path}/${event}`, { csrf });
        expect(refused.status, refused.text.slice(0, 500)).toBe(400);
        expect(refused.headers.get("content-type")).toContain("text/html");
        expect(refused.text).toMatch(
          /<p class="card problem" role="alert">The subscription is Unsubscribed; it cannot /,
        );
        for (const shown of events) expect(refused.text).not.toContain(`${path}/${shown}"`);
      }
    });
  },
);

describe.skipIf(!browserAvailable)(
  "web console: billing events follow the subscription's status in a browser",
  () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startDemoServer();
    });
    afterAll(async () => server?.stop());

    it("shows only the events that apply, and refuses one posted from a page opened before the cancellation", async ({
      task,
    }) => {
      const subscriptionId = await activeSubscription(server, "Cancelled backup");
      const path = `/console/operator/subscriptions/${subscriptionId}`;
      await inBrowser(server, task.name, async (browser) => {
        const { page } = browser;
        await signInAs(browser, "Marketplace operator");
        await browser.open(path);
        expect(await fact(browser, "Status").textContent()).toBe("Active");
        expect(await page.getByRole("button", { name: "Payment failed" }).count()).toBe(1);
        expect(await page.getByRole("button", { name: "Renew now" }).count()).toBe(1);
        expect(await page.getByRole("button", { name: "Payment recovered" }).count()).toBe(0);
        await browser.step("an active subscription offers payment failed and renew now");

        // The subscription is cancelled while the page is open; its renew button is clicked anyway.
        await cancel(server, subscriptionId);
        browser.allowConsoleError(/renew: .*status of 400/);
        await page.getByRole("button", { name: "Renew now" }).click();
        await page.waitForURL(/\/renew$/);
        expect(await page.getByRole("alert").textContent()).toContain(
          "The subscription is Unsubscribed; it cannot renew",
        );
        expect(await fact(browser, "Status").textContent()).toBe("Cancelled");
        expect(await page.getByRole("button", { name: "Renew now" }).count()).toBe(0);
        await browser.step("renewing the cancelled subscription is refused with a message");

        await browser.open(path);
        for (const name of ["Payment failed", "Payment recovered", "Renew now"]) {
          expect(await page.getByRole("button", { name }).count()).toBe(0);
        }
        expect(await page.locator("#no-billing-events").textContent()).toContain("cancelled");
        await browser.step("a cancelled subscription offers no billing event");
      });
    });
  },
);
