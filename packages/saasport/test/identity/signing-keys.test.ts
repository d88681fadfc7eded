import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFile } from "../../src/config/settings.js";
import { connect } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createPublisherAuthenticator } from "../../src/identity/authenticator.js";
import { createPublishedKeyStore } from "../../src/identity/published-keys.js";
import {
  ensureSigningKey,
  listPublishedKeys,
  retiredKeyMarginSeconds,
  rotateSigningKey,
} from "../../src/identity/signing-keys.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import {
  accessToken,
  decodeToken,
  fakeRequest,
  insertPublisher,
  type TestPublisher,
} from "./identity-support.js";

async function sequentially<T>(steps: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  for (const step of steps) results.push(await step());
  return results;
}

describe.each(databaseKinds)("signing keys on %s", (kind) => {
  describe("first start", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
    });
    afterAll(async () => database?.dispose());

    it("creates exactly one active key when several processes start on one database", async () => {
      // Separate connections (pools) stand for separate processes sharing the database.
      const handles = Array.from({ length: 4 }, () =>
        connect({
          databaseUrl: database.databaseUrl,
          sqliteFile: databaseFile({ dataDir: database.dataDir }),
        }),
      );
      try {
        const [first] = handles;
        if (!first) throw new Error("no connection");
        await migrateToLatest(first.db);
        const now = new Date();
        // On PostgreSQL the pools race for real. SQLite connections in one process cannot: a blocked
        // writer would stall the whole event loop in its busy handler, so they start one after another.
        const keys =
          kind === "postgres"
            ? await Promise.all(handles.map((handle) => ensureSigningKey(handle.db, now)))
            : await sequentially(handles.map((handle) => () => ensureSigningKey(handle.db, now)));
        expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
        const rows = await first.db.selectFrom("signing_keys").selectAll().execute();
        expect(rows).toHaveLength(1);
        const [row] = rows;
        expect(row?.private_key_pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
        expect(JSON.parse(row?.public_jwk ?? "{}")).toMatchObject({
          kty: "RSA",
          use: "sig",
          alg: "RS256",
          kid: row?.kid,
        });
        expect(row?.retired_at).toBeNull();
        expect((await ensureSigningKey(first.db, new Date())).kid).toBe(row?.kid);
      } finally {
        await Promise.all(handles.map((handle) => handle.close()));
      }
    });

    it("retires the previous key with published_until = retired_at + token lifetime + margin, and prunes old ones", async () => {
      const handle = connect({
        databaseUrl: database.databaseUrl,
        sqliteFile: databaseFile({ dataDir: database.dataDir }),
      });
      try {
        const start = new Date("2030-01-01T00:00:00.000Z");
        const original = await ensureSigningKey(handle.db, start);
        const rotated = await rotateSigningKey(handle.db, start);
        const publishedUntil = new Date(
          start.getTime() + (3600 + retiredKeyMarginSeconds) * 1000,
        ).toISOString();
        expect(rotated.retired).toEqual([{ kid: original.kid, publishedUntil }]);
        expect((await ensureSigningKey(handle.db, start)).kid).toBe(rotated.kid);
        expect((await listPublishedKeys(handle.db, start)).map((key) => key.kid)).toEqual([
          rotated.kid,
          original.kid,
        ]);
        const later = new Date(Date.parse(publishedUntil) + 1000);
        expect((await listPublishedKeys(handle.db, later)).map((key) => key.kid)).toEqual([rotated.kid]);
        const third = await rotateSigningKey(handle.db, later);
        const kids = (await handle.db.selectFrom("signing_keys").select("kid").execute()).map(
          (row) => row.kid,
        );
        expect(kids.sort()).toEqual([rotated.kid, third.kid].sort());
      } finally {
        await handle.close();
      }
    });
  });

  describe("the verifier's key store", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
    });
    afterAll(async () => database?.dispose());

    it("reloads for an unknown kid, but not again right after a fruitless reload", async () => {
      const handle = connect({
        databaseUrl: database.databaseUrl,
        sqliteFile: databaseFile({ dataDir: database.dataDir }),
      });
      try {
        await migrateToLatest(handle.db);
        const clock = { now: () => new Date() };
        const first = await ensureSigningKey(handle.db, clock.now());
        const store = createPublishedKeyStore({ db: handle.db, clock, missCooldownMs: 2_000 });
        expect(await store.find(first.kid, clock.now())).toBeDefined();

        const rotated = await rotateSigningKey(handle.db, clock.now());
        expect(await store.find(rotated.kid, clock.now())).toBeDefined();

        expect(await store.find("garbage", clock.now())).toBeUndefined();
        const third = await rotateSigningKey(handle.db, clock.now());
        expect(await store.find(third.kid, clock.now())).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 2_050));
        expect(await store.find(third.kid, clock.now())).toBeDefined();
        expect(await store.find(first.kid, new Date(Date.now() + 2 * 3600_000))).toBeUndefined();
      } finally {
        await handle.close();
      }
    });
  });

  describe("rotation on a running server", () => {
    let server: TestServer;
    let publisher: TestPublisher;
    const clock = new ManualClock();
    const jwksKids = async () => {
      const response = await server.fetch(`/${publisher.tenantId}/discovery/keys`);
      return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
    };
    const rotate = async () => {
      const response = await server.fetch("/operator/v1/signing-keys/rotate", {
        method: "POST",
        headers: { authorization: `Bearer ${server.operatorKey}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { kid: string; retired: { kid: string; publishedUntil: string }[] };
    };

    beforeAll(async () => {
      server = await startTestServer({ database: kind, clock });
      publisher = await insertPublisher(server.handle.database.db);
    });
    afterAll(async () => server?.stop());

    it("keeps the old key published and its tokens valid until they expire, and signs new tokens with the new key", async () => {
      const authenticator = createPublisherAuthenticator({
        db: server.handle.database.db,
        settings: server.handle.settings,
        clock,
        baseUrl: () => server.url,
      });
      const oldToken = await accessToken(server, publisher);
      const oldKid = String(decodeToken(oldToken).header.kid);
      expect(await authenticator.authenticate(fakeRequest(`Bearer ${oldToken}`))).toMatchObject({
        publisherId: publisher.id,
      });

      const rotated = await rotate();
      expect(rotated.kid).not.toBe(oldKid);
      expect(rotated.retired.map((key) => key.kid)).toEqual([oldKid]);
      expect(await jwksKids()).toEqual([rotated.kid, oldKid]);

      const newToken = await accessToken(server, publisher);
      expect(decodeToken(newToken).header.kid).toBe(rotated.kid);
      // The new kid is unknown to this verifier's loaded keys: it reloads and accepts.
      expect(await authenticator.authenticate(fakeRequest(`Bearer ${newToken}`))).toMatchObject({
        publisherId: publisher.id,
      });

      clock.advance(50 * 60_000);
      const fresh = createPublisherAuthenticator({
        db: server.handle.database.db,
        settings: server.handle.settings,
        clock,
        baseUrl: () => server.url,
      });
      expect(await fresh.authenticate(fakeRequest(`Bearer ${oldToken}`))).toMatchObject({
        publisherId: publisher.id,
      });

      clock.advance(25 * 60_000);
      expect(await jwksKids()).toEqual([rotated.kid]);
      await expect(fresh.authenticate(fakeRequest(`Bearer ${oldToken}`))).rejects.toMatchObject({
        code: "Unauthorized",
      });
      await expect(fresh.authenticate(fakeRequest(`Bearer ${newToken}`))).rejects.toMatchObject({
        code: "Unauthorized",
      });
      const newest = await accessToken(server, publisher);
      expect(await fresh.authenticate(fakeRequest(`Bearer ${newest}`))).toMatchObject({
        publisherId: publisher.id,
      });
    });

    it("lists keys for the operator", async () => {
      const response = await server.fetch("/operator/v1/signing-keys", {
        headers: { authorization: `Bearer ${server.operatorKey}` },
      });
      const body = (await response.json()) as { keys: { kid: string; active: boolean }[] };
      expect(body.keys.filter((key) => key.active)).toHaveLength(1);
    });
  });
});
