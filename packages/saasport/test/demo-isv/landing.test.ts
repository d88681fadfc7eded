import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { api, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { demoContosoToken, demoLog, formAction, hiddenField, postForm } from "./support.js";

describe.each(databaseKinds)("demo ISV app: landing and activation on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: kind, settings: { demoCatalog: true } });
  });
  afterAll(async () => server?.stop());

  const buy = (name = "Fabrikam analytics") =>
    purchase(server, { offerId: "contoso-analytics", planId: "starter", name });

  it("sends buyers to the demo app's landing page with the server's own address", async () => {
    const { landingPageUrl } = await buy();
    expect(landingPageUrl.startsWith(`${server.url}/demo-isv/contoso/landing?token=`)).toBe(true);
  });

  it("shows the purchase, activates it with the page's form, and shows it active", async () => {
    const { landingPageUrl, subscriptionId } = await buy();
    const landing = await fetch(landingPageUrl);
    expect(landing.status).toBe(200);
    expect(landing.headers.get("content-type")).toMatch(/^text\/html/);
    expect(landing.headers.get("referrer-policy")).toBe("no-referrer");
    const page = await landing.text();
    expect(page).toContain("<dt>Plan</dt><dd>starter</dd>");
    expect(page).toContain("contoso-analytics");
    expect(page).toContain("PendingFulfillmentStart");
    expect(page).toContain("ada@buyer.example");

    const action = formAction(page);
    expect(action).toBe(`/demo-isv/contoso/subscriptions/${subscriptionId}/activate`);
    const csrf = hiddenField(page, "csrf");
    expect(csrf).toBeTruthy();
    const activated = await postForm(server, action ?? "", { csrf: csrf ?? "" });
    expect(activated.status).toBe(303);
    const location = activated.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^/demo-isv/contoso/subscriptions/${subscriptionId}\\?view=`));

    const shown = await server.fetch(location);
    expect(shown.status).toBe(200);
    const shownPage = await shown.text();
    expect(shownPage).toContain("<strong>Subscribed</strong>");
    expect(shownPage).toContain("Your subscription is active");

    const publisher = api(server, await demoContosoToken(server));
    const subscription = await publisher("GET", `/saas/subscriptions/${subscriptionId}`);
    expect(subscription.json.saasSubscriptionStatus).toBe("Subscribed");

    const kinds = (await demoLog(server))
      .filter((r) => r.subscriptionId === subscriptionId)
      .map((r) => r.kind);
    expect(kinds).toEqual(["activation", "landing"]);
  });

  it("shows Manage instead of Activate when the buyer comes back to an active subscription", async () => {
    const { landingPageUrl } = await buy();
    const first = await (await fetch(landingPageUrl)).text();
    const activated = await postForm(server, formAction(first) ?? "", {
      csrf: hiddenField(first, "csrf") ?? "",
    });
    expect(activated.status).toBe(303);
    const again = await (await fetch(landingPageUrl)).text();
    expect(again).toContain("Manage");
    expect(again).not.toContain(">Activate</button>");
  });

  it("refuses the activate form without or with a wrong anti-forgery token", async () => {
    const first = await buy();
    const second = await buy();
    const page = await (await fetch(first.landingPageUrl)).text();
    const csrf = hiddenField(page, "csrf") ?? "";
    const path = `/demo-isv/contoso/subscriptions/${first.subscriptionId}/activate`;
    const attempts: Record<string, string>[] = [{}, { csrf: "1.abc.def" }, { csrf: `${csrf}x` }];
    for (const fields of attempts) {
      const refused = await postForm(server, path, fields);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("This form has expired");
    }
    // A token is bound to its subscription: it does not activate another one.
    const elsewhere = await postForm(
      server,
      `/demo-isv/contoso/subscriptions/${second.subscriptionId}/activate`,
      {
        csrf,
      },
    );
    expect(elsewhere.status).toBe(403);
    const publisher = api(server, await demoContosoToken(server));
    for (const id of [first.subscriptionId, second.subscriptionId]) {
      const subscription = await publisher("GET", `/saas/subscriptions/${id}`);
      expect(subscription.json.saasSubscriptionStatus).toBe("PendingFulfillmentStart");
    }
  });

  it("explains a bad or missing purchase token with the marketplace's message, not a 500", async () => {
    const bad = await server.fetch("/demo-isv/contoso/landing?token=not-a-real-token");
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("We could not open this purchase");
    expect(page).toContain("The marketplace said:");
    const missing = await server.fetch("/demo-isv/contoso/landing");
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("This link is incomplete");
    const failures = (await demoLog(server)).filter((record) => record.kind === "landing-failed");
    expect(failures.length).toBeGreaterThan(0);
  });

  it("escapes what the buyer typed", async () => {
    const { landingPageUrl } = await buy(`<script>alert("x")</script> & co`);
    const page = await (await fetch(landingPageUrl)).text();
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
  });

  it("answers 404 pages for unknown publishers and paths, and 403 for an unsigned subscription link", async () => {
    for (const path of [
      "/demo-isv/nobody/landing?token=x",
      "/demo-isv/nobody/",
      "/demo-isv/contoso/nothing/here",
    ]) {
      const response = await server.fetch(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    }
    const { subscriptionId } = await buy();
    const unsigned = await server.fetch(`/demo-isv/contoso/subscriptions/${subscriptionId}`);
    expect(unsigned.status).toBe(403);
    const notGuid = await postForm(server, "/demo-isv/contoso/subscriptions/not-a-guid/activate", {
      csrf: "x",
    });
    expect(notGuid.status).toBe(404);
  });

  it("bounds form bodies", async () => {
    const { subscriptionId } = await buy();
    const response = await postForm(server, `/demo-isv/contoso/subscriptions/${subscriptionId}/activate`, {
      csrf: "x".repeat(20_000),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  });
});
