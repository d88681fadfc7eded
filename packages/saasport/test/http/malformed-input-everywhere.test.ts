import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { anyContentType, expectExplainedAnswer } from "../support/malformed-input.js";
import { publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

/**
 * Property: every operation `/openapi.json` describes (the marketplace API, the token service with its
 * keys and discovery documents, the store, partner and operator APIs, the demo ISV app) answers
 * whatever arrives with a success or a 4xx that carries a body (JSON on the JSON surfaces), never a
 * 5xx, and the server keeps serving. fulfillment/malformed-input.test.ts and
 * metering/malformed-input.test.ts go deeper into the marketplace API's own inputs.
 */
type Operation = { method: string; path: string };

/** Left out: event streams never end, and a fault injected on purpose answers 5xx on purpose. */
function fuzzable({ method, path }: Operation): boolean {
  return !path.endsWith("/stream") && !(method === "POST" && path === "/operator/v1/faults");
}

/** The HTML pages of the demo ISV app answer errors as pages, not JSON. */
const answersJson = (path: string) => !path.startsWith("/demo-isv/");

const text = fc.string({ maxLength: 120 });
const body = fc.oneof(
  fc.json(),
  text,
  fc.constantFrom("", "{", "[]", "null", "grant_type=client_credentials", "a=%ZZ&b", '{"__proto__":{"x":1}}'),
  fc
    .dictionary(
      fc.constantFrom("grant_type", "client_id", "client_secret", "resource", "scope", "client_assertion"),
      fc.oneof(text, fc.constantFrom("client_credentials", fixture.contoso.appId, fixture.contoso.secret)),
    )
    .map((fields) => new URLSearchParams(fields).toString()),
  fc
    .record(
      {
        offerId: fc.anything(),
        planId: fc.anything(),
        quantity: fc.anything(),
        status: fc.anything(),
        displayName: fc.anything(),
        billingTerms: fc.anything(),
        duration: fc.anything(),
        time: fc.anything(),
        tenantId: fc.anything(),
        beneficiary: fc.anything(),
        url: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);
const idLike = (real: () => string) =>
  fc.oneof(
    fc.constant("real").map(() => real()),
    fc.constantFrom("contoso", "analytics", "seats", "basic", "team", fixture.contoso.tenantId, "common"),
    fc.uuid(),
    fc.string({ maxLength: 60 }),
    fc.constantFrom("..", "%00", "a".repeat(400)),
  );
const query = fc.constantFrom(
  "",
  "?api-version=2018-08-31",
  "?x=%ZZ",
  "?limit=-1&offset=abc",
  "?from=2026-13&to=yesterday",
  "?format=csv",
  "?continuationToken=%7B",
);

describe.each(databaseKinds)("malformed input to every documented operation on %s", (kind) => {
  let server: TestServer;
  let operations: Operation[];
  let publisherBearer: string;
  let subscriptionId: string;

  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
    publisherBearer = await publisherToken(server, "contoso");
    subscriptionId = (await purchase(server, { offerId: "analytics", planId: "basic" })).subscriptionId;
    const document = (await (await server.fetch("/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(document.paths)
      .flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((method) => ["get", "post", "put", "patch", "delete"].includes(method))
          .map((method) => ({ method: method.toUpperCase(), path })),
      )
      .filter(fuzzable);
  });
  afterAll(async () => server?.stop());

  it("documents the surfaces it fuzzes", () => {
    for (const prefix of ["/api/", "/{tenant}/oauth2/", "/store/v1/", "/partner/v1/", "/operator/v1/"]) {
      expect(
        operations.some((operation) => operation.path.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  it("never answers 5xx and always explains a 4xx", { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.func(idLike(() => subscriptionId)),
        body,
        anyContentType,
        fc.oneof(fc.constantFrom("publisher", "operator", "none"), text),
        query,
        async (pick, parameterValue, payload, type, who, search) => {
          const operation = operations[pick % operations.length] as Operation;
          let index = 0;
          const path = operation.path.replace(/\{[^}]+\}/g, () =>
            encodeURIComponent(parameterValue(index++)),
          );
          const authorization =
            who === "publisher"
              ? `Bearer ${publisherBearer}`
              : who === "operator"
                ? `Bearer ${server.operatorKey}`
                : who === "none"
                  ? undefined
                  : who.replace(/[^\x20-\x7e]/g, "");
          const withBody = operation.method !== "GET" && operation.method !== "DELETE";
          const response = await server.fetch(`${path}${search}`, {
            method: operation.method,
            headers: {
              ...(authorization ? { authorization } : {}),
              ...(withBody && type ? { "content-type": type } : {}),
            },
            ...(withBody ? { body: payload } : {}),
          });
          expectExplainedAnswer(
            response.status,
            await response.text(),
            `${operation.method} ${path}${search}`,
            answersJson(operation.path),
          );
        },
      ),
      { numRuns: 600, seed: 20261207 },
    );
    expect((await server.fetch("/healthz")).status).toBe(200);
  });
});
