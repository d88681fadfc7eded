import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

describe("/openapi.json and /docs", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite" });
  });
  afterAll(async () => server?.stop());

  it("describes every surface: the official /api paths and Saasport's own", async () => {
    const response = await server.fetch("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    const paths = Object.keys(document.paths);
    for (const expected of [
      "/api/saas/subscriptions/resolve",
      "/api/saas/subscriptions/{subscriptionId}/operations/{operationId}",
      "/store/v1/purchases",
      "/operator/v1/catalog",
      "/partner/v1/offers",
    ]) {
      expect(paths, expected).toContain(expected);
    }
    expect(paths.some((path) => path.includes("oauth2/v2.0/token"))).toBe(true);
    expect(document.paths["/store/v1/purchases"]?.post).toBeDefined();
    expect(Object.keys(document.paths["/api/saas/subscriptions/{subscriptionId}"] ?? {}).sort()).toEqual([
      "delete",
      "get",
      "patch",
    ]);
  });

  it("renders a self-contained reference page", async () => {
    const response = await server.fetch("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("/api/saas/subscriptions/resolve");
    expect(html).toContain("/store/v1/purchases");
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[a-z]+\.[a-z]+\/[^"]*\.(js|css)/i);
  });
});
