import { generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { marketplaceResource } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { demoContoso, demoLog, formAction, hiddenField, postForm } from "./support.js";

describe.each(databaseKinds)("demo ISV app: webhook authentication and dashboard on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: kind, settings: { demoCatalog: true } });
  });
  afterAll(async () => server?.stop());

  const payload = JSON.stringify({
    id: "7a3c0000-0000-4000-8000-000000000001",
    subscriptionId: "7a3c0000-0000-4000-8000-000000000002",
    action: "ChangePlan",
    status: "InProgress",
  });
  const claims = {
    tid: demoContoso.tenantId,
    azp: marketplaceResource,
    appid: marketplaceResource,
    ver: "2.0",
  };

  const postWebhook = (authorization: string | undefined, deliveryId: string) =>
    server.fetch("/demo-isv/contoso/webhook", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-saasport-delivery-id": deliveryId,
        ...(authorization ? { authorization } : {}),
      },
      body: payload,
    });

  it("refuses a webhook without a token, with an unsigned token, or signed by a key Saasport never published", async () => {
    const unsigned = new UnsecuredJWT(claims).setAudience(demoContoso.appId).setExpirationTime("1h").encode();
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "forged-key" })
      .setAudience(demoContoso.appId)
      .setIssuer(`${server.url}/${demoContoso.tenantId}/v2.0`)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    const cases: [string | undefined, string][] = [
      [undefined, "none"],
      ["Basic dXNlcjpwYXNz", "basic"],
      ["Bearer not-a-jwt", "garbage"],
      [`Bearer ${unsigned}`, "unsigned"],
      [`Bearer ${forged}`, "forged"],
    ];
    for (const [authorization, deliveryId] of cases) {
      const response = await postWebhook(authorization, deliveryId);
      expect(response.status, deliveryId).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
    const refused = (await demoLog(server)).filter((record) => record.kind === "webhook-refused");
    expect(refused.map((record) => record.detail.deliveryId).sort()).toEqual(
      cases.map(([, deliveryId]) => deliveryId).sort(),
    );
    expect(refused.every((record) => record.detail.answer === 401 && record.detail.verified === false)).toBe(
      true,
    );
    expect((await demoLog(server)).some((record) => record.kind === "webhook")).toBe(false);
  });

  it("checks the token before the body, and bounds the body", async () => {
    const unreadable = await server.fetch("/demo-isv/contoso/webhook", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{not json",
    });
    expect(unreadable.status).toBe(401);
    const huge = await server.fetch("/demo-isv/contoso/webhook", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ padding: "x".repeat(100_000) }),
    });
    expect(huge.status).toBe(413);
    const unknown = await server.fetch("/demo-isv/nobody/webhook", { method: "POST", body: payload });
    expect(unknown.status).toBe(404);
  });

  it("keeps the webhook behaviour chosen on the dashboard, and refuses the form without its token", async () => {
    const dashboard = await server.fetch("/demo-isv/contoso/");
    expect(dashboard.status).toBe(200);
    const page = await dashboard.text();
    expect(page).toContain('value="accept" checked');
    expect(page).toContain("webhook-refused");
    expect(formAction(page)).toBe("/demo-isv/contoso/settings");

    const refused = await postForm(server, "/demo-isv/contoso/settings", { mode: "fail", csrf: "nope" });
    expect(refused.status).toBe(403);
    const saved = await postForm(server, "/demo-isv/contoso/settings", {
      mode: "reject-changes",
      csrf: hiddenField(page, "csrf") ?? "",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/demo-isv/contoso/");
    const log = (await (await server.fetch("/demo-isv/contoso/log.json")).json()) as { mode: string };
    expect(log.mode).toBe("reject-changes");
    expect(await (await server.fetch("/demo-isv/contoso/")).text()).toContain(
      'value="reject-changes" checked',
    );
    // Each publisher has its own setting.
    expect(((await (await server.fetch("/demo-isv/adatum/log.json")).json()) as { mode: string }).mode).toBe(
      "accept",
    );
    const unknownMode = await postForm(server, "/demo-isv/contoso/settings", {
      mode: "explode",
      csrf: hiddenField(page, "csrf") ?? "",
    });
    expect(unknownMode.status).toBe(400);
  });

  it("pages the log, newest first", async () => {
    const first = (await (await server.fetch("/demo-isv/contoso/log.json?limit=2")).json()) as {
      records: { position: number }[];
      next?: string;
    };
    expect(first.records).toHaveLength(2);
    expect(first.records[0]?.position).toBeGreaterThan(
      first.records[1]?.position ?? Number.POSITIVE_INFINITY,
    );
    expect(first.next).toBeDefined();
    const second = (await (await server.fetch(first.next ?? "")).json()) as {
      records: { position: number }[];
    };
    expect(second.records[0]?.position).toBeLessThan(first.records[1]?.position ?? 0);
    for (const bad of ["?before=abc", "?limit=0", "?limit=1000"]) {
      expect((await server.fetch(`/demo-isv/contoso/log.json${bad}`)).status, bad).toBe(400);
    }
    expect((await server.fetch("/demo-isv/contoso/?before=-1")).status).toBe(400);
  });
});
