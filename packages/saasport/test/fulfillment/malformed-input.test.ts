import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { anyContentType, expectExplainedAnswer } from "../support/malformed-input.js";
import { publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

/**
 * Property: whatever arrives — odd bodies, headers, ids, query strings — every endpoint answers with
 * a 4xx (or a success) and a body, never a 5xx, and the server keeps serving.
 */
const endpoints: Array<{ method: string; path: (id: string, other: string) => string; json?: boolean }> = [
  { method: "POST", path: () => "/api/saas/subscriptions/resolve" },
  { method: "POST", path: (id) => `/api/saas/subscriptions/${id}/activate`, json: true },
  { method: "GET", path: () => "/api/saas/subscriptions" },
  { method: "GET", path: (id) => `/api/saas/subscriptions/${id}` },
  { method: "GET", path: (id) => `/api/saas/subscriptions/${id}/listAvailablePlans` },
  { method: "PATCH", path: (id) => `/api/saas/subscriptions/${id}`, json: true },
  { method: "DELETE", path: (id) => `/api/saas/subscriptions/${id}` },
  { method: "GET", path: (id) => `/api/saas/subscriptions/${id}/operations` },
  { method: "GET", path: (id, other) => `/api/saas/subscriptions/${id}/operations/${other}` },
  { method: "PATCH", path: (id, other) => `/api/saas/subscriptions/${id}/operations/${other}`, json: true },
  { method: "POST", path: () => "/store/v1/purchases", json: true },
];

const jsonish = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    "",
    "{",
    "[]",
    "null",
    '{"planId":null}',
    '{"quantity":-1}',
    '{"quantity":1e309}',
    '{"planId":{"$gt":""}}',
  ),
  fc
    .record({ planId: fc.anything(), quantity: fc.anything(), status: fc.anything() })
    .map((value) => JSON.stringify(value)),
  fc
    .record({
      offerId: fc.oneof(fc.string(), fc.constant("analytics")),
      planId: fc.oneof(fc.string(), fc.constant("basic")),
      quantity: fc.anything(),
      beneficiary: fc.anything(),
    })
    .map((value) => JSON.stringify(value)),
);

const idLike = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 80 }),
  fc.constantFrom("..", "%00", "null", "a".repeat(600)),
);
const headerValue = fc.string({ maxLength: 200 }).map((value) => value.replace(/[^\x20-\x7e]/g, ""));
const queryLike = fc.oneof(
  fc.constant("api-version=2018-08-31"),
  fc.constant(""),
  fc
    .string({ maxLength: 100 })
    .map((value) => `api-version=2018-08-31&continuationToken=${encodeURIComponent(value)}`),
  fc.string({ maxLength: 100 }).map((value) => `api-version=${encodeURIComponent(value)}`),
  fc.string({ maxLength: 100 }).map((value) => `api-version=2018-08-31&planId=${encodeURIComponent(value)}`),
  fc.constant("api-version=2018-08-31&api-version=2018-08-31"),
);

describe.each(databaseKinds)("malformed input on %s", (kind) => {
  let server: TestServer;
  let token: string;
  let subscriptionId: string;

  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
    token = await publisherToken(server, "contoso");
    subscriptionId = (await purchase(server, { offerId: "analytics", planId: "basic" })).subscriptionId;
  });
  afterAll(async () => server?.stop());

  it("never answers 5xx and always explains a 4xx", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.oneof(fc.constant("real"), idLike),
        idLike,
        jsonish,
        queryLike,
        anyContentType,
        fc.record({
          authorization: fc.oneof(fc.constant("valid"), fc.constant("operator"), headerValue),
          marketplaceToken: fc.option(headerValue),
          requestId: fc.option(headerValue),
        }),
        async (endpoint, id, other, body, query, type, headers) => {
          const resolvedId = id === "real" ? subscriptionId : id;
          const path = endpoint.path(encodeURIComponent(resolvedId), encodeURIComponent(other));
          const authorization =
            headers.authorization === "valid"
              ? `Bearer ${token}`
              : headers.authorization === "operator"
                ? `Bearer ${server.operatorKey}`
                : headers.authorization;
          const withBody = endpoint.method !== "GET" && endpoint.method !== "DELETE";
          const response = await server.fetch(`${path}${query ? `?${query}` : ""}`, {
            method: endpoint.method,
            headers: {
              ...(authorization ? { authorization } : {}),
              ...(headers.marketplaceToken ? { "x-ms-marketplace-token": headers.marketplaceToken } : {}),
              ...(headers.requestId ? { "x-ms-requestid": headers.requestId } : {}),
              ...(withBody && type ? { "content-type": type } : {}),
            },
            ...(withBody ? { body } : {}),
          });
          expectExplainedAnswer(
            response.status,
            await response.text(),
            `${endpoint.method} ${path}?${query}`,
          );
        },
      ),
      { numRuns: 300, seed: 20261125 },
    );
    expect((await server.fetch("/healthz")).status).toBe(200);
  });

  it("bounds body sizes with 413 and keeps serving", async () => {
    const response = await server.fetch("/store/v1/purchases", {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({ offerId: "x".repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PayloadTooLarge");
    expect((await server.fetch("/healthz")).status).toBe(200);
  });
});
