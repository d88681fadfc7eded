import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  accessToken,
  insertPublisher,
  postForm,
  type TestPublisher,
  v2TokenForm,
} from "./identity-support.js";

describe.each(databaseKinds)("partner routes for the publisher's own client secrets on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;
  let other: TestPublisher;

  const partner = async (
    who: TestPublisher,
    method: string,
    path: string,
    body?: unknown,
    authorization = `Bearer ${server.operatorKey}`,
  ) => {
    const response = await server.fetch(`/partner/v1${path}`, {
      method,
      headers: {
        authorization,
        "x-saasport-publisher-id": who.id,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  };

  const tokenWith = (who: TestPublisher, secret: string) =>
    postForm(server, `/${who.tenantId}/oauth2/v2.0/token`, v2TokenForm(who, { client_secret: secret }));

  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    publisher = await insertPublisher(server.handle.database.db);
    other = await insertPublisher(server.handle.database.db);
  });
  afterAll(async () => server?.stop());

  it("creates a secret, shown once, that the token endpoint accepts", async () => {
    const created = await partner(publisher, "POST", "/client-secrets", {
      description: "ci",
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(String),
      hint: String(created.json.clientSecret).slice(0, 7),
      description: "ci",
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      revokedAt: null,
      tenantId: publisher.tenantId,
      clientId: publisher.appId,
      clientSecret: expect.stringMatching(/^sps~[A-Za-z0-9_-]{36}$/),
    });
    expect((await tokenWith(publisher, String(created.json.clientSecret))).status).toBe(200);
    expect((await partner(publisher, "POST", "/client-secrets")).status).toBe(201);
  });

  it("lists hints and dates, never secrets or hashes, with the publisher's own token too", async () => {
    const token = await accessToken(server, publisher);
    const listed = await partner(publisher, "GET", "/client-secrets", undefined, `Bearer ${token}`);
    expect(listed.status).toBe(200);
    const entries = listed.json.clientSecrets as Record<string, unknown>[];
    expect(entries.length).toBe(3);
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual([
        "createdAt",
        "description",
        "expiresAt",
        "hint",
        "id",
        "revokedAt",
      ]);
    }
    expect(JSON.stringify(listed.json)).not.toContain(publisher.secret);
  });

  it("revokes a secret so the token endpoint refuses it; revoking again is a conflict", async () => {
    const created = await partner(publisher, "POST", "/client-secrets", {});
    const secret = String(created.json.clientSecret);
    const revoked = await partner(publisher, "POST", `/client-secrets/${created.json.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: created.json.id, revokedAt: expect.any(String) });
    const token = await tokenWith(publisher, secret);
    expect(token.json).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    const again = await partner(publisher, "POST", `/client-secrets/${created.json.id}/revoke`);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: "Conflict", target: "id" } });
  });

  it("another publisher can neither see nor revoke the secret", async () => {
    const created = await partner(publisher, "POST", "/client-secrets", { description: "mine" });
    const theirs = await partner(other, "GET", "/client-secrets");
    expect(JSON.stringify(theirs.json)).not.toContain(String(created.json.id));
    const revoked = await partner(other, "POST", `/client-secrets/${created.json.id}/revoke`);
    expect(revoked.status).toBe(404);
    expect(revoked.json).toMatchObject({ error: { code: "EntityNotFound", target: "id" } });
    expect((await tokenWith(publisher, String(created.json.clientSecret))).status).toBe(200);
  });

  it("refuses bad bodies with 400, and callers without credentials with 401", async () => {
    for (const body of [
      { expiresInDays: 0 },
      { expiresInDays: "soon" },
      { description: "x".repeat(201) },
      { expiresAt: "2030-01-01T00:00:00Z" },
      "not json",
    ]) {
      const answer = await partner(publisher, "POST", "/client-secrets", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await server.fetch("/partner/v1/client-secrets")).status).toBe(401);
  });
});
