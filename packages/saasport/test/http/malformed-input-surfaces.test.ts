import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { publisherToken } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

/**
 * Property: the surfaces around the marketplace API (the token service, its keys and discovery
 * documents, the publisher's catalog API and the operator API) answer whatever arrives with a success
 * or a 4xx that carries a JSON body, never a 5xx, and the server keeps serving. The /api routes and
 * purchases have their own such test (fulfillment/malformed-input.test.ts).
 */
type Route = { method: string; path: (tenant: string, id: string, other: string) => string };

const routes: Route[] = [
  { method: "POST", path: (tenant) => `/${tenant}/oauth2/token` },
  { method: "POST", path: (tenant) => `/${tenant}/oauth2/v2.0/token` },
  { method: "GET", path: (tenant) => `/${tenant}/discovery/keys` },
  { method: "GET", path: (tenant) => `/${tenant}/discovery/v2.0/keys` },
  { method: "GET", path: (tenant) => `/${tenant}/.well-known/openid-configuration` },
  { method: "GET", path: (tenant) => `/${tenant}/v2.0/.well-known/openid-configuration` },
  { method: "GET", path: () => "/partner/v1/offers" },
  { method: "POST", path: () => "/partner/v1/offers" },
  { method: "GET", path: (_, id) => `/partner/v1/offers/${id}` },
  { method: "PATCH", path: (_, id) => `/partner/v1/offers/${id}` },
  { method: "GET", path: (_, id) => `/partner/v1/offers/${id}/plans` },
  { method: "POST", path: (_, id) => `/partner/v1/offers/${id}/plans` },
  { method: "GET", path: (_, id, other) => `/partner/v1/offers/${id}/plans/${other}` },
  { method: "PATCH", path: (_, id, other) => `/partner/v1/offers/${id}/plans/${other}` },
  { method: "POST", path: (_, id, other) => `/partner/v1/offers/${id}/plans/${other}/stop-sell` },
  { method: "POST", path: (_, id, other) => `/partner/v1/offers/${id}/plans/${other}/resume-sell` },
  { method: "GET", path: () => "/partner/v1/technical-configuration" },
  { method: "PATCH", path: () => "/partner/v1/technical-configuration" },
  { method: "GET", path: () => "/operator/v1/catalog" },
  { method: "GET", path: () => "/operator/v1/publishers" },
  { method: "POST", path: () => "/operator/v1/publishers" },
  { method: "POST", path: (_, id) => `/operator/v1/publishers/${id}/secrets` },
  { method: "POST", path: (_, id) => `/operator/v1/publishers/${id}/certificates` },
  { method: "GET", path: () => "/operator/v1/signing-keys" },
];

const tokenFields = [
  "grant_type",
  "client_id",
  "client_secret",
  "resource",
  "scope",
  "client_assertion",
  "client_assertion_type",
];
const text = fc.string({ maxLength: 120 });
const body = fc.oneof(
  fc.json(),
  text,
  fc.constantFrom("", "{", "[]", "null", "grant_type=client_credentials", "a=%ZZ&b"),
  fc
    .dictionary(
      fc.constantFrom(...tokenFields),
      fc.oneof(text, fc.constantFrom("client_credentials", fixture.contoso.appId, fixture.contoso.secret)),
    )
    .map((fields) => new URLSearchParams(fields).toString()),
  fc
    .record({
      offerId: fc.anything(),
      planId: fc.anything(),
      displayName: fc.anything(),
      pricingModel: fc.anything(),
      billingTerms: fc.anything(),
      landingPageUrl: fc.anything(),
      tenantId: fc.anything(),
      certificate: fc.anything(),
    })
    .map((value) => JSON.stringify(value)),
);
const idLike = fc.oneof(
  fc.constantFrom("analytics", "seats", "basic", "team", "contoso", fixture.contoso.tenantId, "common"),
  fc.uuid(),
  fc.string({ maxLength: 60 }),
  fc.constantFrom("..", "%00", "a".repeat(400)),
);
const headerValue = fc.string({ maxLength: 200 }).map((value) => value.replace(/[^\x20-\x7e]/g, ""));
const contentType = fc.constantFrom(
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
  "multipart/form-data; boundary=x",
  undefined,
);

describe.each(databaseKinds)("malformed input to the token, catalog and operator surfaces on %s", (kind) => {
  let server: TestServer;
  let publisherBearer: string;

  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
    publisherBearer = await publisherToken(server, "contoso");
  });
  afterAll(async () => server?.stop());

  it("never answers 5xx and always explains a 4xx", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        idLike,
        idLike,
        idLike,
        body,
        contentType,
        fc.oneof(fc.constantFrom("publisher", "operator", "none"), headerValue),
        fc.constantFrom("", "?api-version=2018-08-31", "?x=%ZZ", "?offerId=a&offerId=b"),
        async (route, tenant, id, other, payload, type, who, query) => {
          const path = route.path(
            encodeURIComponent(tenant),
            encodeURIComponent(id),
            encodeURIComponent(other),
          );
          const authorization =
            who === "publisher"
              ? `Bearer ${publisherBearer}`
              : who === "operator"
                ? `Bearer ${server.operatorKey}`
                : who === "none"
                  ? undefined
                  : who;
          const withBody = route.method !== "GET";
          const response = await server.fetch(`${path}${query}`, {
            method: route.method,
            headers: {
              ...(authorization ? { authorization } : {}),
              ...(withBody && type ? { "content-type": type } : {}),
            },
            ...(withBody ? { body: payload } : {}),
          });
          const answer = await response.text();
          const what = `${route.method} ${path}${query} -> ${response.status} ${answer.slice(0, 300)}`;
          expect(response.status, what).toBeLessThan(500);
          if (response.status >= 400) {
            expect(answer.length, what).toBeGreaterThan(0);
            expect(() => JSON.parse(answer), what).not.toThrow();
          }
        },
      ),
      { numRuns: 400, seed: 20261207 },
    );
    expect((await server.fetch("/healthz")).status).toBe(200);
  });
});
