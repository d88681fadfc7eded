import { describe, expect, it } from "vitest";
import { loadDemoCatalog } from "../../src/catalog/demo-catalog.js";
import { ApiCallError } from "../../src/console/api-client.js";
import { dayText, money, priceText } from "../../src/console/format.js";
import { cookieHeader, parseCookies } from "../../src/console/sessions/cookies.js";
import { sameToken } from "../../src/console/sessions/csrf.js";
import { safeNext } from "../../src/console/sessions/request-session.js";
import { isLoopbackHost, personaPickerAllowed } from "../../src/console/sign-in/demo-mode.js";
import { demoPersonas, demoTenants } from "../../src/console/sign-in/personas.js";
import { fieldOf, readableMessage } from "../../src/console/store/api-errors.js";
import { openLandingUrl, sealLandingUrl } from "../../src/console/store/landing-seal.js";

describe("web console helpers", () => {
  it.each([
    ["49.00", "USD", "$49.00"],
    ["1234567.5", "USD", "$1,234,567.5"],
    ["-70.00", "EUR", "-€70.00"],
    ["0.008", "USD", "$0.008"],
    ["12.00", "CHF", "CHF 12.00"],
    ["n/a", "USD", "n/a USD"],
  ])("writes %s %s as %s, exactly", (amount, currency, expected) => {
    expect(money(amount, currency)).toBe(expected);
  });

  it("words prices per payment", () => {
    const term = { termUnit: "P1Y", price: "22.00", currency: "USD" };
    expect(priceText({ ...term, paymentOption: "monthly" }, true)).toBe(
      "$22.00 per seat per month for 1 year",
    );
    expect(priceText({ ...term, paymentOption: "upfront" }, false)).toBe("$22.00 for 1 year, paid upfront");
    expect(priceText({ ...term, termUnit: "P3Y", paymentOption: "annual" }, false)).toBe(
      "$22.00 per year for 3 years",
    );
    expect(dayText("2026-12-06T14:43:13.408Z")).toBe("6 Dec 2026");
    expect(dayText(null)).toBe("–");
  });

  it("seals the landing page URL for one session and one subscription", () => {
    const url = "http://127.0.0.1:4680/demo-isv/contoso/landing?token=abc%2B%3D";
    const sealed = sealLandingUrl(url, "session-secret", "sub-1");
    expect(sealed).not.toContain("token");
    expect(openLandingUrl(sealed, "session-secret", "sub-1")).toBe(url);
    expect(openLandingUrl(sealed, "other-secret", "sub-1")).toBeUndefined();
    expect(openLandingUrl(sealed, "session-secret", "sub-2")).toBeUndefined();
    expect(openLandingUrl(`${sealed.slice(0, -2)}AA`, "session-secret", "sub-1")).toBeUndefined();
    expect(openLandingUrl("short", "session-secret", "sub-1")).toBeUndefined();
    expect(openLandingUrl(undefined, "session-secret", "sub-1")).toBeUndefined();
  });

  it("goes back only to console pages after sign-in", () => {
    expect(safeNext("/console/store/subscriptions?x=1")).toBe("/console/store/subscriptions?x=1");
    for (const bad of [
      "/console//evil.example",
      "https://evil.example/console/",
      "/api/x",
      "/console/sign-in",
      '/console/a"b',
      5,
    ]) {
      expect(safeNext(bad), String(bad)).toBeUndefined();
    }
  });

  it("offers personas only in demo mode on a loopback address", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "example.com", "128.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(false);
    expect(personaPickerAllowed({ host: "127.0.0.1", publicUrl: undefined, trustProxy: false }, true)).toBe(
      true,
    );
    expect(personaPickerAllowed({ host: "127.0.0.1", publicUrl: undefined, trustProxy: false }, false)).toBe(
      false,
    );
    expect(personaPickerAllowed({ host: "0.0.0.0", publicUrl: undefined, trustProxy: false }, true)).toBe(
      false,
    );
    expect(
      personaPickerAllowed(
        { host: "127.0.0.1", publicUrl: "https://market.example.com", trustProxy: false },
        true,
      ),
    ).toBe(false);
    expect(
      personaPickerAllowed(
        { host: "127.0.0.1", publicUrl: "http://localhost:4680", trustProxy: false },
        true,
      ),
    ).toBe(true);
    // A trusted reverse proxy means other machines reach the server through it.
    for (const trustProxy of [true, 1, ["127.0.0.1"]])
      expect(personaPickerAllowed({ host: "127.0.0.1", publicUrl: undefined, trustProxy }, true)).toBe(false);
  });

  it("names the demo catalog's private-plan audience as the Fabrikam buyer's tenant", async () => {
    const catalog = await loadDemoCatalog();
    const audiences = catalog.publishers.flatMap((publisher) =>
      publisher.offers.flatMap((offer) => offer.plans.flatMap((plan) => plan.audience ?? [])),
    );
    expect(audiences).toContain(demoTenants.fabrikam);
    expect(audiences).not.toContain(demoTenants.woodgrove);
    const ids = demoPersonas([{ id: "contoso", displayName: "Contoso Ltd." }]).map((choice) => choice.id);
    expect(ids).toEqual([
      "buyer-fabrikam",
      "buyer-woodgrove",
      "reseller-northwind",
      "publisher-contoso",
      "operator",
    ]);
  });

  it("reads cookies and writes HttpOnly cookies", () => {
    expect(parseCookies("a=1; b=2; a=3").get("a")).toBe("1");
    expect(parseCookies(undefined).size).toBe(0);
    expect(cookieHeader("s", "v", { maxAgeSeconds: 60, secure: true })).toBe(
      "s=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure",
    );
    expect(sameToken("abc", "abc")).toBe(true);
    expect(sameToken("abd", "abc")).toBe(false);
    expect(sameToken(undefined, "abc")).toBe(false);
    expect(sameToken("abc", undefined)).toBe(false);
  });

  it("puts an API error next to its field, in the field's words", () => {
    const fields = {
      quantity: "seats",
      "beneficiary.emailId": "customerEmail",
      beneficiary: "customerTenantId",
    };
    const schema = new ApiCallError(400, "BadArgument", "body.quantity must be >= 1.", "body.quantity");
    expect(fieldOf(schema, fields)).toBe("seats");
    expect(readableMessage(schema, "Seats")).toBe("Seats must be >= 1.");
    const email = new ApiCallError(400, "BadArgument", "x", "body.beneficiary.emailId");
    expect(fieldOf(email, fields)).toBe("customerEmail");
    const tenant = new ApiCallError(400, "BadArgument", "x", "beneficiary.tenantId");
    expect(fieldOf(tenant, fields)).toBe("customerTenantId");
    expect(fieldOf(new ApiCallError(409, "Conflict", "x"), fields)).toBeUndefined();
  });
});
