import { generateKeyPairSync } from "node:crypto";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { insertPublisher, postForm, type TestPublisher, v2TokenForm } from "./identity-support.js";

describe.each(databaseKinds)("operator routes for publisher credentials on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;

  const operator = async (method: string, path: string, body?: unknown, key?: string) => {
    const response = await server.fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${key ?? server.operatorKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    publisher = await insertPublisher(server.handle.database.db);
  });
  afterAll(async () => server?.stop());

  describe("client secrets", () => {
    const secrets = () => `/operator/v1/publishers/${publisher.id}/secrets`;

    it("creates a secret, shown once, that the token endpoint accepts", async () => {
      const created = await operator("POST", secrets(), { description: "ci" });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        tenantId: publisher.tenantId,
        clientId: publisher.appId,
        clientSecret: expect.stringMatching(/^sps~[A-Za-z0-9_-]{36}$/),
        secretId: expect.any(String),
        hint: String(created.json.clientSecret).slice(0, 7),
        description: "ci",
      });
      const token = await postForm(
        server,
        `/${publisher.tenantId}/oauth2/v2.0/token`,
        v2TokenForm(publisher, { client_secret: String(created.json.clientSecret) }),
      );
      expect(token.status).toBe(200);
    });

    it("creates a secret with no body at all, and one with an expiry", async () => {
      expect((await operator("POST", secrets())).status).toBe(201);
      const expiring = await operator("POST", secrets(), { expiresInDays: 30 });
      const expected = Date.now() + 30 * 24 * 3600 * 1000;
      expect(Math.abs(Date.parse(String(expiring.json.expiresAt)) - expected)).toBeLessThan(60_000);
      const both = await operator("POST", secrets(), { expiresInDays: 1, expiresAt: "2030-01-01T00:00:00Z" });
      expect(both.status).toBe(400);
      expect(both.json).toMatchObject({ error: { code: "BadArgument" } });
    });

    it("lists hints, never secrets or hashes", async () => {
      const listed = await operator("GET", secrets());
      expect(listed.status).toBe(200);
      const entries = listed.json.secrets as Record<string, unknown>[];
      expect(entries.length).toBeGreaterThan(1);
      for (const entry of entries) {
        expect(Object.keys(entry).sort()).toEqual([
          "createdAt",
          "description",
          "expiresAt",
          "hint",
          "revokedAt",
          "secretId",
        ]);
      }
      expect(JSON.stringify(listed.json)).not.toContain(publisher.secret);
    });

    it("revokes a secret so the token endpoint refuses it", async () => {
      const created = await operator("POST", secrets());
      const secret = String(created.json.clientSecret);
      const revoked = await operator("DELETE", `${secrets()}/${created.json.secretId}`);
      expect(revoked.status).toBe(204);
      expect((await operator("DELETE", `${secrets()}/${created.json.secretId}`)).status).toBe(204);
      const token = await postForm(
        server,
        `/${publisher.tenantId}/oauth2/v2.0/token`,
        v2TokenForm(publisher, { client_secret: secret }),
      );
      expect(token.json).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
      const listed = (await operator("GET", secrets())).json.secrets as {
        secretId: string;
        revokedAt: string | null;
      }[];
      expect(listed.find((entry) => entry.secretId === created.json.secretId)?.revokedAt).toEqual(
        expect.any(String),
      );
    });

    it("answers 404 for an unknown secret or publisher", async () => {
      const unknownSecret = await operator("DELETE", `${secrets()}/no-such-secret`);
      expect(unknownSecret.status).toBe(404);
      expect(unknownSecret.json).toMatchObject({ error: { code: "EntityNotFound", target: "secretId" } });
      const unknownPublisher = await operator("POST", "/operator/v1/publishers/nobody/secrets");
      expect(unknownPublisher.status).toBe(404);
      expect(unknownPublisher.json).toMatchObject({
        error: { code: "EntityNotFound", target: "publisherId" },
      });
    });

    it("requires the operator key, before looking at the body", async () => {
      const response = await operator("POST", secrets(), { expiresInDays: "not a number" }, "wrong-key");
      expect(response.status).toBe(401);
      expect(response.json).toMatchObject({ error: { code: "OperatorKeyRequired" } });
      expect((await server.fetch(secrets())).status).toBe(401);
    });
  });

  describe("certificates", () => {
    const certificates = () => `/operator/v1/publishers/${publisher.id}/certificates`;

    it("registers a certificate once, with its thumbprints, and lists it", async () => {
      const pems = await generate([{ name: "commonName", value: "app" }], {
        keySize: 2048,
        algorithm: "sha256",
      });
      const first = await operator("POST", certificates(), { pem: pems.cert });
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({
        kind: "certificate",
        x5t: expect.stringMatching(/^[A-Za-z0-9_-]{27}$/),
        x5tS256: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        revokedAt: null,
      });
      const again = await operator("POST", certificates(), { pem: pems.cert });
      expect(again.status).toBe(200);
      expect(again.json.certificateId).toBe(first.json.certificateId);
      const listed = await operator("GET", certificates());
      expect(listed.json.certificates).toEqual([first.json]);
    });

    it.each([
      ["garbage", "not a pem", "must be a PEM certificate"],
      [
        "a private key",
        generateKeyPairSync("rsa", { modulusLength: 2048 })
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString(),
        "is a private key",
      ],
      [
        "a small RSA key",
        generateKeyPairSync("rsa", { modulusLength: 1024 })
          .publicKey.export({ type: "spki", format: "pem" })
          .toString(),
        "at least 2048 bits",
      ],
      [
        "an EC key",
        generateKeyPairSync("ec", { namedCurve: "P-256" })
          .publicKey.export({ type: "spki", format: "pem" })
          .toString(),
        "must hold an RSA key",
      ],
    ])("rejects %s with 400 BadArgument", async (_name, pem, says) => {
      const response = await operator("POST", certificates(), { pem });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        error: { code: "BadArgument", target: "pem", message: expect.stringContaining(says) },
      });
    });

    it("answers 404 when revoking an unknown certificate", async () => {
      expect((await operator("DELETE", `${certificates()}/nope`)).status).toBe(404);
    });
  });

  it("rotates the signing key and answers with the new kid", async () => {
    const rotated = await operator("POST", "/operator/v1/signing-keys/rotate");
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ kid: expect.any(String), retired: [{ kid: expect.any(String) }] });
    const listed = await operator("GET", "/operator/v1/signing-keys");
    const active = (listed.json.keys as { kid: string; active: boolean }[]).filter((key) => key.active);
    expect(active.map((key) => key.kid)).toEqual([rotated.json.kid]);
    expect((await operator("POST", "/operator/v1/signing-keys/rotate", undefined, "wrong")).status).toBe(401);
  });
});
