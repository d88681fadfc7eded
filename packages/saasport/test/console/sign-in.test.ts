import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { hiddenValue, visitor } from "./http-client.js";

const contoso = {
  tenantId: "11111111-1111-1111-1111-111111111111",
  clientId: "aaaaaaaa-1111-1111-1111-111111111111",
  clientSecret: "contoso-demo-client-secret",
};

describe("web console: sign-in and sessions on a loopback address with the demo catalog", () => {
  let server: TestServer;
  const clock = new ManualClock();
  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite", settings: { demoCatalog: true }, clock });
  });
  afterAll(async () => server?.stop());

  async function signInAsPersona(persona: string) {
    const browser = visitor(server);
    const page = await browser.get("/console/sign-in");
    const signedIn = await browser.post("/console/sign-in/persona", {
      csrf: hiddenValue(page.text, "csrf"),
      persona,
    });
    expect(signedIn.status).toBe(303);
    return { browser, location: signedIn.location };
  }

  it("serves the home page to everyone and sends visitors of console pages to sign in", async () => {
    const browser = visitor(server);
    const home = await browser.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("self-hostable SaaS marketplace");
    expect(home.headers.get("content-security-policy")).toContain("default-src 'none'");
    for (const path of [
      "/console/store",
      "/console/store/subscriptions",
      "/console/store/invoices",
      "/console/",
    ]) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(303);
      expect(page.location, path).toMatch(/^\/console\/sign-in/);
    }
    expect((await browser.get("/console/store/subscriptions")).location).toBe(
      "/console/sign-in?next=%2Fconsole%2Fstore%2Fsubscriptions",
    );
  });

  it("starts a session in an HttpOnly, SameSite=Lax cookie and stores only the id's hash", async () => {
    const { browser, location } = await signInAsPersona("buyer-fabrikam");
    expect(location).toBe("/console/store");
    const cookie = browser.setCookies.find((header) => header.startsWith("saasport_console="));
    expect(cookie).toMatch(/; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    const id = browser.cookies.get("saasport_console") ?? "";
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await server.handle.database.db.selectFrom("console_sessions").selectAll().execute();
    expect(rows.some((row) => row.id_hash === id)).toBe(false);
    const row = rows.find((candidate) => candidate.id_hash === createHash("sha256").update(id).digest("hex"));
    expect(row).toMatchObject({ kind: "buyer", tenant_id: "33333333-3333-3333-3333-333333333333" });
    expect((await browser.get("/console/store")).status).toBe(200);
  });

  it("goes back to the page the visitor wanted, and only to a console page", async () => {
    const browser = visitor(server);
    const csrf = hiddenValue(
      (await browser.get("/console/sign-in?next=%2Fconsole%2Fstore%2Finvoices")).text,
      "csrf",
    );
    const back = await browser.post("/console/sign-in/persona", {
      csrf,
      persona: "buyer-woodgrove",
      next: "/console/store/invoices",
    });
    expect(back.location).toBe("/console/store/invoices");
    for (const next of ["https://elsewhere.example/", "//elsewhere.example/", "/api/saas/subscriptions"]) {
      const elsewhere = await browser.post("/console/sign-in/persona", {
        csrf,
        persona: "buyer-woodgrove",
        next,
      });
      expect(elsewhere.location, next).toBe("/console/store");
    }
  });

  it("refuses sign-in forms without the sign-in page's anti-forgery value", async () => {
    const browser = visitor(server);
    expect((await browser.post("/console/sign-in/persona", { persona: "operator" })).status).toBe(403);
    await browser.get("/console/sign-in");
    const refused = await browser.post("/console/sign-in/persona", { csrf: "forged", persona: "operator" });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("This form has expired");
    expect(browser.cookies.has("saasport_console")).toBe(false);
  });

  it("refuses storefront forms without the session's token, and sign-out without it", async () => {
    const { browser } = await signInAsPersona("buyer-fabrikam");
    const plan = await browser.get("/console/store/offers/contoso/contoso-crm/team");
    const csrf = hiddenValue(plan.text, "csrf");
    const form = { seats: "3", billing: "P1M:upfront" };
    expect((await browser.post("/console/store/offers/contoso/contoso-crm/team/buy", form)).status).toBe(403);
    const other = await signInAsPersona("buyer-fabrikam");
    const otherCsrf = hiddenValue((await other.browser.get("/console/store")).text, "csrf");
    const crossed = await browser.post("/console/store/offers/contoso/contoso-crm/team/buy", {
      ...form,
      csrf: otherCsrf,
    });
    expect(crossed.status).toBe(403);
    expect((await browser.post("/console/sign-out", {})).status).toBe(403);
    const bought = await browser.post("/console/store/offers/contoso/contoso-crm/team/buy", {
      ...form,
      csrf,
    });
    expect(bought.status).toBe(303);
    expect(bought.location).toMatch(/^\/console\/store\/subscriptions\/[0-9a-f-]{36}\/configure\?landing=/);
  });

  it("shows Configure account only to the session that bought", async () => {
    const { browser } = await signInAsPersona("buyer-fabrikam");
    const csrf = hiddenValue((await browser.get("/console/store")).text, "csrf");
    const bought = await browser.post("/console/store/offers/contoso/contoso-analytics/starter/buy", {
      csrf,
      billing: "P1M:upfront",
    });
    const configure = await browser.get(bought.location ?? "");
    expect(configure.status).toBe(200);
    expect(configure.text).toMatch(
      /<a class="button button-large" href="http:\/\/127\.0\.0\.1:\d+\/demo-isv\/contoso\/landing\?token=[^"]+">Configure account<\/a>/,
    );
    expect(configure.headers.get("referrer-policy")).toBe("no-referrer");
    const other = await signInAsPersona("buyer-fabrikam");
    const elsewhere = await other.browser.get(bought.location ?? "");
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.text).not.toContain("landing?token=");
    expect(elsewhere.text).toContain("belongs to another sign-in");
  });

  it("ends the session on sign-out and after eight hours", async () => {
    const { browser } = await signInAsPersona("reseller-northwind");
    const csrf = hiddenValue((await browser.get("/console/store")).text, "csrf");
    const out = await browser.post("/console/sign-out", { csrf });
    expect(out.location).toBe("/console/sign-in?signed-out=1");
    expect((await browser.get("/console/store")).status).toBe(303);

    const later = await signInAsPersona("buyer-woodgrove");
    expect((await later.browser.get("/console/store")).status).toBe(200);
    clock.advance(8 * 3600_000 + 1000);
    expect((await later.browser.get("/console/store")).status).toBe(303);
  });

  it("signs in the operator with the operator key and a publisher with its client credentials", async () => {
    const browser = visitor(server);
    const csrf = hiddenValue((await browser.get("/console/sign-in")).text, "csrf");
    const wrongKey = await browser.post("/console/sign-in/operator", { csrf, operatorKey: "nope" });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.text).toContain("That is not the operator key.");
    const operator = await browser.post("/console/sign-in/operator", {
      csrf,
      operatorKey: server.operatorKey,
    });
    expect(operator.location).toBe("/console/operator");
    expect((await browser.get("/console/")).location).toBe("/console/operator");
    const home = await browser.get("/console/operator");
    expect(home.text).toContain("Marketplace clock");
    const store = await browser.get("/console/store");
    expect(store.status).toBe(403);
    expect(store.text).toContain("The storefront is for buyers");

    const wrongSecret = await browser.post("/console/sign-in/publisher", {
      csrf,
      ...contoso,
      clientSecret: "wrong",
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.text).toContain("These credentials do not match");
    expect(wrongSecret.text).toContain(`value="${contoso.clientId}"`);
    expect(wrongSecret.text).not.toContain('value="wrong"');
    const publisher = await browser.post("/console/sign-in/publisher", { csrf, ...contoso });
    expect(publisher.location).toBe("/console/portal");
    expect((await browser.get("/console/")).location).toBe("/console/portal");
    const portal = await browser.get("/console/portal");
    expect(portal.text).toContain("Contoso Ltd.: publisher portal");
    expect(portal.text).toContain('href="/demo-isv/contoso/"');
  });

  it("serves the stylesheet with an ETag and answers 304 when the browser has it", async () => {
    const page = await visitor(server).get("/console/sign-in");
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(page.text)?.[1] ?? "";
    const first = await server.fetch(href);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await server.fetch(href, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("keeps its pages out of the API description", async () => {
    const document = (await (await server.fetch("/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    const pages = Object.keys(document.paths).filter((path) => path === "/" || path.startsWith("/console"));
    expect(pages).toEqual([]);
  });

  it("answers unknown console pages with a 404 page", async () => {
    const page = await visitor(server).get("/console/nothing-here");
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.text).toContain("<h1>Not found</h1>");
  });
});

describe("web console: on a non-loopback address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite", settings: { demoCatalog: true, host: "0.0.0.0" } });
  });
  afterAll(async () => server?.stop());

  it("offers no personas and never signs in without credentials", async () => {
    const browser = visitor(server);
    const page = await browser.get("/console/sign-in");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("/console/sign-in/persona");
    expect(page.text).toContain("Demo personas are offered only when Saasport listens on a loopback address");
    const csrf = hiddenValue(page.text, "csrf");
    for (const persona of ["buyer-fabrikam", "operator", "publisher-contoso"]) {
      const refused = await browser.post("/console/sign-in/persona", { csrf, persona });
      expect(refused.status, persona).toBe(403);
    }
    expect(browser.cookies.has("saasport_console")).toBe(false);
    expect((await browser.get("/console/store")).status).toBe(303);
    const operator = await browser.post("/console/sign-in/operator", {
      csrf,
      operatorKey: server.operatorKey,
    });
    expect(operator.status).toBe(303);
    expect(browser.cookies.has("saasport_console")).toBe(true);
  });
});
