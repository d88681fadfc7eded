import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileEverySchema } from "../../src/http/server.js";
import { startTestServer, type TestServer } from "../support/server.js";

// Route schemas are compiled on first use; this compiles every one so a broken schema fails here, not
// on some user's first request.
describe("route schemas compiled on first use", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite", settings: { demoCatalog: true } });
  });
  afterAll(async () => server?.stop());

  it("all compile", () => {
    expect(() => compileEverySchema(server.handle.app)).not.toThrow();
  });

  it("still validate, report the failing part, and serialize", async () => {
    const operator = { authorization: `Bearer ${server.operatorKey}` };
    const refused = await server.fetch("/operator/v1/faults?all=perhaps", { headers: operator });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/all/);
    const listed = await server.fetch("/operator/v1/faults?all=true", { headers: operator });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ faults: [] });
  });
});
