import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe.each(databaseKinds)("health and plumbing on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: kind });
  });
  afterAll(async () => server?.stop());

  it("answers /healthz with 200 once the database is ready", async () => {
    const response = await server.fetch("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers unknown routes with a 404 body naming the route", async () => {
    const response = await server.fetch("/no/such/route");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "NotFound", message: "No route for GET /no/such/route." },
    });
  });
});
