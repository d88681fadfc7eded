import { createHmac } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { defaultLifecycle } from "../../src/config/settings.js";
import { servicePrincipalObjectId } from "../../src/identity/service-principal.js";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { marketplaceResource, publisherToken } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  delivery,
  pointWebhookAt,
  queueDeliveries,
  type Receiver,
  startReceiver,
  waitUntil,
} from "./receiver.js";

const fastRetries = {
  ...defaultLifecycle,
  webhookRetryInitialDelayMs: 20,
  webhookRetryMaxDelayMs: 200,
  webhookMaxAttempts: 8,
};

describe.each(databaseKinds)("webhook delivery on %s", (kind) => {
  let server: TestServer | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await server?.stop();
    await receiver?.close();
    server = undefined;
    receiver = undefined;
  });

  async function start(lifecycle = fastRetries) {
    receiver = await startReceiver();
    const url = receiver.url;
    server = await startTestServer({
      database: kind,
      settings: { lifecycle },
      seed: async (db) => {
        await seedFixtureCatalog(db);
        await pointWebhookAt(db, "contoso", url);
        await pointWebhookAt(db, "fabrikam", url);
      },
    });
    return { server, receiver };
  }

  const partner = async (s: TestServer, publisher: "contoso" | "fabrikam", method: string, path: string) => {
    const response = await s.fetch(`/partner/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${await publisherToken(s, publisher)}` },
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };

  it("calls with a v2 app token that verifies against Saasport's discovery and JWKS, and HMAC-signs with every unretired secret", async () => {
    const { server, receiver } = await start();
    const first = await partner(server, "contoso", "POST", "/webhook-secrets");
    const second = await partner(server, "contoso", "POST", "/webhook-secrets");
    expect(first.status).toBe(201);
    expect(first.json.secret).toMatch(/^whsec_/);

    const subscriptionId = "11111111-0000-4000-8000-000000000001";
    const [deliveryId] = await queueDeliveries(server.handle.database.db, [delivery({ subscriptionId })]);
    await server.handle.runBackgroundWork();
    const [call] = await receiver.waitForCalls(1);
    if (!call) throw new Error("no call");

    expect(call.headers["content-type"]).toBe("application/json");
    expect(call.headers["x-saasport-delivery-id"]).toBe(deliveryId);
    expect(call.headers["x-saasport-attempt"]).toBe("1");
    expect(call.headers["x-saasport-event-id"]).toMatch(/^event-/);
    expect(JSON.parse(call.body)).toMatchObject({ subscriptionId, action: "Renew" });

    const tenant = fixture.contoso.tenantId;
    const discovery = (await (
      await server.fetch(`/${tenant}/v2.0/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.jwks_uri).toBe(`${server.url}/${tenant}/discovery/v2.0/keys`);
    const token = String(call.headers.authorization).replace(/^Bearer /, "");
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(discovery.jwks_uri)),
      {
        audience: fixture.contoso.appId,
        issuer: discovery.issuer,
      },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      iss: `${server.url}/${tenant}/v2.0`,
      aud: fixture.contoso.appId,
      tid: tenant,
      azp: marketplaceResource,
      azpacr: "1",
      ver: "2.0",
      idtyp: "app",
      oid: servicePrincipalObjectId(tenant, marketplaceResource),
      sub: servicePrincipalObjectId(tenant, marketplaceResource),
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);

    const signature = String(call.headers["x-saasport-signature"]);
    const parts = signature.split(",");
    const t = parts[0]?.replace(/^t=/, "");
    const v1 = parts.filter((part) => part.startsWith("v1=")).map((part) => part.slice(3));
    const expected = (secret: string) =>
      createHmac("sha256", secret).update(`${t}.${call.body}`).digest("hex");
    expect(v1.sort()).toEqual([expected(first.json.secret), expected(second.json.secret)].sort());
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);

    // Retiring one leaves one v1 entry; the listing never shows a secret.
    const retired = await partner(server, "contoso", "POST", `/webhook-secrets/${first.json.id}/retire`);
    expect(retired.status).toBe(200);
    expect(retired.json.retiredAt).not.toBeNull();
    const listed = await partner(server, "contoso", "GET", "/webhook-secrets");
    expect(listed.json.secrets).toHaveLength(2);
    expect(JSON.stringify(listed.json)).not.toContain("whsec_");
    expect((await partner(server, "fabrikam", "GET", "/webhook-secrets")).json.secrets).toEqual([]);
    expect(
      (await partner(server, "fabrikam", "POST", `/webhook-secrets/${second.json.id}/retire`)).status,
    ).toBe(404);

    await queueDeliveries(server.handle.database.db, [delivery({ subscriptionId, seq: 2 })]);
    await server.handle.runBackgroundWork();
    const calls = await receiver.waitForCalls(2);
    const later = String(calls[1]?.headers["x-saasport-signature"]);
    expect(later.split(",").filter((part) => part.startsWith("v1="))).toHaveLength(1);
    // The second call reused the cached token.
    expect(calls[1]?.headers.authorization).toBe(call.headers.authorization);
  });

  it("retries 503 answers with growing pauses under one delivery id, then records every attempt", async () => {
    const { server, receiver } = await start();
    receiver.respond = (_call, index) => (index < 4 ? { status: 503, body: "busy" } : 200);
    const [deliveryId] = await queueDeliveries(server.handle.database.db, [
      delivery({ subscriptionId: "11111111-0000-4000-8000-000000000002" }),
    ]);
    await server.handle.runBackgroundWork();
    const calls = await receiver.waitForCalls(5);
    expect(new Set(calls.map((call) => call.headers["x-saasport-delivery-id"]))).toEqual(
      new Set([deliveryId]),
    );
    expect(calls.map((call) => call.headers["x-saasport-attempt"])).toEqual(["1", "2", "3", "4", "5"]);
    const gaps = calls.slice(1).map((call, index) => call.receivedAtMs - (calls[index]?.receivedAtMs ?? 0));
    // Pauses are 10–20, 20–40, 40–80, 80–160 ms: the last is longer than the first whatever the jitter.
    expect(gaps[3]).toBeGreaterThan(gaps[0] ?? 0);

    const detail = await waitUntil(async () => {
      const answer = await partner(server, "contoso", "GET", `/webhook-deliveries/${deliveryId}`);
      return answer.json.status === "delivered" ? answer.json : undefined;
    }, "the delivery to be recorded as delivered");
    expect(detail.attempts).toBe(5);
    expect(detail.attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual([
      "retry",
      "retry",
      "retry",
      "retry",
      "delivered",
    ]);
    expect(detail.attemptLog[0]).toMatchObject({ statusCode: 503, responseSnippet: "busy", attempt: 1 });
    expect(detail.lastStatusCode).toBe(200);
    expect(detail.payload).toMatchObject({ action: "Renew" });
  });

  it("gives up when the attempt budget is used up", async () => {
    const { server, receiver } = await start({ ...fastRetries, webhookMaxAttempts: 3 });
    receiver.respond = () => 500;
    const [deliveryId] = await queueDeliveries(server.handle.database.db, [
      delivery({ subscriptionId: "11111111-0000-4000-8000-000000000003" }),
    ]);
    await server.handle.runBackgroundWork();
    const detail = await waitUntil(async () => {
      const answer = await partner(server, "contoso", "GET", `/webhook-deliveries/${deliveryId}`);
      return answer.json.status === "failed" ? answer.json : undefined;
    }, "the delivery to fail");
    expect(receiver.calls).toHaveLength(3);
    expect(detail.attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual([
      "retry",
      "retry",
      "gave-up",
    ]);
    expect(detail.nextAttemptAt).toBeNull();
  });

  it("delivers the events of one subscription in sequence order while the first is retried", async () => {
    const { server, receiver } = await start();
    const subscriptionId = "11111111-0000-4000-8000-000000000004";
    const other = "11111111-0000-4000-8000-000000000005";
    let firstFailures = 0;
    receiver.respond = (call) => {
      const body = JSON.parse(call.body) as { subscriptionId: string; seqMarker: number };
      if (body.subscriptionId === subscriptionId && body.seqMarker === 1 && firstFailures < 3) {
        firstFailures++;
        return 503;
      }
      return 200;
    };
    const queued = [1, 2, 3].map((seq) =>
      delivery({ subscriptionId, seq, payload: { subscriptionId, seqMarker: seq, status: "Succeeded" } }),
    );
    await queueDeliveries(server.handle.database.db, [
      ...queued,
      delivery({ subscriptionId: other, payload: { subscriptionId: other, seqMarker: 1 } }),
    ]);
    await server.handle.runBackgroundWork();
    const calls = await receiver.waitForCalls(7);
    const ofSubscription = calls
      .map((call) => JSON.parse(call.body) as { subscriptionId: string; seqMarker: number })
      .filter((body) => body.subscriptionId === subscriptionId)
      .map((body) => body.seqMarker);
    expect(ofSubscription).toEqual([1, 1, 1, 1, 2, 3]);
    // The other subscription was not held up behind the retries.
    const otherIndex = calls.findIndex((call) => call.body.includes(other));
    expect(otherIndex).toBeLessThan(4);
  });

  it("moves the backlog behind a retried delivery to its retry, out of every claim's way, and still sends it in order", async () => {
    const { server, receiver } = await start({
      ...fastRetries,
      webhookRetryInitialDelayMs: 4000,
      webhookRetryMaxDelayMs: 4000,
    });
    const subscriptionId = "11111111-0000-4000-8000-000000000006";
    let failures = 0;
    receiver.respond = (call) => {
      const body = JSON.parse(call.body) as { seqMarker: number };
      if (body.seqMarker === 1 && failures === 0) {
        failures++;
        return 503;
      }
      return 200;
    };
    const db = server.handle.database.db;
    const ids = await queueDeliveries(
      db,
      [1, 2, 3, 4].map((seq) =>
        delivery({ subscriptionId, seq, payload: { subscriptionId, seqMarker: seq, status: "Succeeded" } }),
      ),
    );
    await server.handle.runBackgroundWork();
    await receiver.waitForCalls(1);
    const rows = async () =>
      new Map(
        (
          await db
            .selectFrom("webhook_deliveries")
            .select(["id", "status", "attempts", "next_attempt_at"])
            .where("id", "in", ids)
            .execute()
        ).map((row) => [row.id, row]),
      );
    // The first attempt failed and is retried 4 s later; within a second a claim that finds nothing it
    // may send moves the three waiting deliveries to that retry.
    const head = await waitUntil(async () => {
      await server.handle.runBackgroundWork();
      const first = (await rows()).get(ids[0] as string);
      return first?.attempts === 1 && first.status === "pending" ? first : undefined;
    }, "the first attempt to fail");
    const waiting = await waitUntil(
      async () => {
        await server.handle.runBackgroundWork();
        const now = await rows();
        const moved = ids.slice(1).every((id) => now.get(id)?.next_attempt_at === head.next_attempt_at);
        return moved ? now : undefined;
      },
      "the waiting deliveries to move to the retry",
      3000,
    );
    for (const id of ids.slice(1)) {
      expect(waiting.get(id)).toMatchObject({
        status: "pending",
        attempts: 0,
        next_attempt_at: head.next_attempt_at,
      });
    }
    expect(Date.parse(head.next_attempt_at)).toBeGreaterThan(Date.now());
    const calls = await receiver.waitForCalls(5);
    expect(calls.map((call) => (JSON.parse(call.body) as { seqMarker: number }).seqMarker)).toEqual([
      1, 1, 2, 3, 4,
    ]);
    const done = await waitUntil(async () => {
      const final = await rows();
      return [...final.values()].every((row) => row.status === "delivered") ? final : undefined;
    }, "all four to be delivered");
    expect(done.size).toBe(4);
  });

  it("redelivers as a new delivery that only its publisher sees, and pages the delivery log", async () => {
    const { server, receiver } = await start();
    const subscriptionId = "11111111-0000-4000-8000-000000000006";
    const [firstId, secondId] = await queueDeliveries(server.handle.database.db, [
      delivery({ subscriptionId, seq: 1 }),
      delivery({ subscriptionId, seq: 2 }),
    ]);
    await server.handle.runBackgroundWork();
    await receiver.waitForCalls(2);

    expect(
      (await partner(server, "fabrikam", "POST", `/webhook-deliveries/${firstId}/redeliver`)).status,
    ).toBe(404);
    expect((await partner(server, "fabrikam", "GET", `/webhook-deliveries/${firstId}`)).status).toBe(404);
    const redelivered = await partner(server, "contoso", "POST", `/webhook-deliveries/${firstId}/redeliver`);
    expect(redelivered.status).toBe(202);
    expect(redelivered.json).toMatchObject({ redeliveryOf: firstId, seq: 1, status: "pending", attempts: 0 });
    expect(redelivered.json.id).not.toBe(firstId);
    await server.handle.runBackgroundWork();
    const calls = await receiver.waitForCalls(3);
    expect(calls[2]?.headers["x-saasport-delivery-id"]).toBe(redelivered.json.id);
    expect(calls[2]?.headers["x-saasport-event-id"]).toBe(calls[0]?.headers["x-saasport-event-id"]);
    expect(calls[2]?.body).toBe(calls[0]?.body);

    const page1 = await partner(
      server,
      "contoso",
      "GET",
      `/webhook-deliveries?subscriptionId=${subscriptionId}&limit=2`,
    );
    expect(page1.status).toBe(200);
    expect(page1.json.deliveries.map((d: { id: string }) => d.id)[0]).toBe(redelivered.json.id);
    expect(page1.json.next).toEqual(expect.any(String));
    const page2 = await partner(
      server,
      "contoso",
      "GET",
      `/webhook-deliveries?subscriptionId=${subscriptionId}&limit=2&after=${page1.json.next}`,
    );
    const ids = [...page1.json.deliveries, ...page2.json.deliveries].map((d: { id: string }) => d.id);
    expect(new Set(ids)).toEqual(new Set([firstId, secondId, redelivered.json.id]));
    expect(page2.json.next).toBeNull();
    const delivered = await partner(server, "contoso", "GET", "/webhook-deliveries?status=delivered");
    expect(delivered.json.deliveries).toHaveLength(3);
    expect((await partner(server, "fabrikam", "GET", "/webhook-deliveries")).json.deliveries).toEqual([]);

    const operator = await server.fetch("/operator/v1/webhook-deliveries?publisherId=contoso", {
      headers: { authorization: `Bearer ${server.operatorKey}` },
    });
    expect(((await operator.json()) as { deliveries: unknown[] }).deliveries).toHaveLength(3);
    expect((await server.fetch("/operator/v1/webhook-deliveries")).status).toBe(401);
  });

  it("answers 400 to bad listing filters and 404 to unknown deliveries", async () => {
    const { server } = await start();
    expect((await partner(server, "contoso", "GET", "/webhook-deliveries?status=lost")).status).toBe(400);
    expect((await partner(server, "contoso", "GET", "/webhook-deliveries?limit=0")).status).toBe(400);
    const badCursor = await partner(server, "contoso", "GET", "/webhook-deliveries?after=nonsense");
    expect(badCursor.status).toBe(400);
    expect(badCursor.json.error.target).toBe("query.after");
    expect((await partner(server, "contoso", "GET", "/webhook-deliveries/nope")).status).toBe(404);
    expect((await server.fetch("/partner/v1/webhook-deliveries")).status).toBe(401);
    const openapi = (await (await server.fetch("/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      "/partner/v1/webhook-deliveries",
      "/partner/v1/webhook-deliveries/{id}",
      "/partner/v1/webhook-deliveries/{id}/redeliver",
      "/partner/v1/webhook-secrets",
      "/partner/v1/webhook-secrets/{id}/retire",
      "/operator/v1/webhook-deliveries",
    ]) {
      expect(Object.keys(openapi.paths)).toContain(path);
    }
  });
});
