import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

interface ListedSubscription {
  id: string;
  publisherId: string;
  offerId: string;
  planId: string;
  saasSubscriptionStatus: string;
  beneficiary: { tenantId: string };
  quantity?: number;
  pendingOperation: unknown;
}

interface ListAnswer {
  subscriptions: ListedSubscription[];
  continuationToken: string | null;
  "@nextLink": string | null;
  error?: { code: string; message: string; target?: string; details?: { target?: string }[] };
}

describe.each(databaseKinds)("GET /partner/v1/subscriptions[/{subscriptionId}] on %s", (kind) => {
  let server: TestServer;
  let contosoToken: string;
  let fabrikamToken: string;
  const bought: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer({ database: kind, seed: seedFixtureCatalog });
    contosoToken = await publisherToken(server, "contoso");
    fabrikamToken = await publisherToken(server, "fabrikam");
    const purchases = [
      ["basic-1", { offerId: "analytics", planId: "basic" }],
      ["pro-1", { offerId: "analytics", planId: "pro", tenantId: fixture.strangerTenant }],
      ["basic-2", { offerId: "analytics", planId: "basic", tenantId: fixture.strangerTenant }],
      ["team-1", { offerId: "seats", planId: "team", quantity: 3 }],
      ["basic-3", { offerId: "analytics", planId: "basic" }],
    ] as const;
    for (const [name, options] of purchases) {
      bought[name] = (await purchase(server, { ...options, name })).subscriptionId;
    }
    await purchase(server, { offerId: "backup", planId: "standard", name: "fabrikam-1" });
    const activate = await api(server, contosoToken)(
      "POST",
      `/saas/subscriptions/${bought["basic-2"]}/activate`,
      { body: {} },
    );
    expect(activate.status).toBe(200);
  });
  afterAll(async () => server?.stop());

  async function list(query: string, token = contosoToken): Promise<{ status: number; body: ListAnswer }> {
    const response = await server.fetch(`/partner/v1/subscriptions${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as ListAnswer };
  }
  const names = (answer: ListAnswer) =>
    answer.subscriptions.map((s) => Object.entries(bought).find(([, id]) => id === s.id)?.[0] ?? s.id);

  it("lists only the caller's own subscriptions, oldest first, in the store's view", async () => {
    const { status, body } = await list("");
    expect(status).toBe(200);
    expect(names(body)).toEqual(["basic-1", "pro-1", "basic-2", "team-1", "basic-3"]);
    expect(body.continuationToken).toBeNull();
    expect(body["@nextLink"]).toBeNull();
    expect(new Set(body.subscriptions.map((s) => s.publisherId))).toEqual(new Set(["contoso"]));
    const team = body.subscriptions.find((s) => s.id === bought["team-1"]);
    expect(team).toMatchObject({ quantity: 3, saasSubscriptionStatus: "PendingFulfillmentStart" });
    expect(team).toHaveProperty("pendingOperation", null);
  });

  it("filters by status, offer, plan and beneficiary tenant", async () => {
    expect(names((await list("?status=Subscribed")).body)).toEqual(["basic-2"]);
    expect(names((await list("?offerId=seats")).body)).toEqual(["team-1"]);
    expect(names((await list("?offerId=analytics&planId=basic")).body)).toEqual([
      "basic-1",
      "basic-2",
      "basic-3",
    ]);
    const stranger = fixture.strangerTenant.toUpperCase();
    expect(names((await list(`?beneficiaryTenantId=${stranger}`)).body)).toEqual(["pro-1", "basic-2"]);
    expect(
      names(
        (await list(`?beneficiaryTenantId=${fixture.strangerTenant}&status=PendingFulfillmentStart`)).body,
      ),
    ).toEqual(["pro-1"]);
    expect((await list("?planId=no-such-plan")).body.subscriptions).toEqual([]);
  });

  it("pages with a continuation token and a next link that keep the filters, stable while subscriptions are added", async () => {
    const first = await list("?offerId=analytics&limit=2");
    expect(names(first.body)).toEqual(["basic-1", "pro-1"]);
    expect(first.body.continuationToken).toEqual(expect.any(String));
    const next = new URL(first.body["@nextLink"] ?? "");
    expect(`${next.origin}`).toBe(server.url);
    expect(next.searchParams.get("offerId")).toBe("analytics");
    expect(next.searchParams.get("limit")).toBe("2");

    bought["basic-4"] = (
      await purchase(server, { offerId: "analytics", planId: "basic", name: "basic-4" })
    ).subscriptionId;

    const second = await list(next.search);
    expect(names(second.body)).toEqual(["basic-2", "basic-3"]);
    const third = await list(new URL(second.body["@nextLink"] ?? "").search);
    expect(names(third.body)).toEqual(["basic-4"]);
    expect(third.body.continuationToken).toBeNull();
    expect(third.body["@nextLink"]).toBeNull();

    const byToken = await list(
      `?offerId=analytics&limit=2&continuationToken=${encodeURIComponent(first.body.continuationToken ?? "")}`,
    );
    expect(names(byToken.body)).toEqual(["basic-2", "basic-3"]);
  });

  it("shows another publisher none of them, not even through a continuation token", async () => {
    const theirs = await list("", fabrikamToken);
    expect(theirs.status).toBe(200);
    expect(theirs.body.subscriptions.map((s) => s.publisherId)).toEqual(["fabrikam"]);
    const first = await list("?limit=1");
    const stolen = await list(
      `?continuationToken=${encodeURIComponent(first.body.continuationToken ?? "")}`,
      fabrikamToken,
    );
    expect(stolen.body.subscriptions.every((s) => s.publisherId === "fabrikam")).toBe(true);
    const filtered = await list("?offerId=analytics", fabrikamToken);
    expect(filtered.body.subscriptions).toEqual([]);
    const unauthenticated = await server.fetch("/partner/v1/subscriptions");
    expect(unauthenticated.status).toBe(401);
  });

  it.each([
    ["?status=Active", "querystring.status"],
    ["?beneficiaryTenantId=not-a-guid", "querystring.beneficiaryTenantId"],
    ["?limit=0", "querystring.limit"],
    ["?limit=501", "querystring.limit"],
    ["?limit=ten", "querystring.limit"],
    ["?continuationToken=bm90LWEtdG9rZW4", "querystring.continuationToken"],
    ["?offerid=analytics", "querystring.offerid"],
  ])("refuses %s with 400 naming %s", async (query, target) => {
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body.error?.code).toBe("BadArgument");
    expect(body.error?.target).toBe(target);
    expect(body.error?.message.length).toBeGreaterThan(10);
  });

  it("names the allowed statuses when the status is not one", async () => {
    const { body } = await list("?status=Active");
    expect(body.error?.message).toBe(
      'querystring.status must be one of PendingFulfillmentStart, Subscribed, Suspended, Unsubscribed (got "Active").',
    );
  });

  async function one(id: string, token = contosoToken) {
    const response = await server.fetch(`/partner/v1/subscriptions/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as ListedSubscription & Pick<ListAnswer, "error">,
    };
  }

  it("reads one own subscription in the same view as the list", async () => {
    const { body: listed } = await list("");
    for (const name of ["basic-2", "team-1"]) {
      const id = bought[name] ?? "";
      const { status, body } = await one(id);
      expect(status).toBe(200);
      expect(body).toEqual(listed.subscriptions.find((s) => s.id === id));
    }
    const upper = await one((bought["basic-1"] ?? "").toUpperCase());
    expect(upper.status).toBe(200);
    expect(upper.body.id).toBe(bought["basic-1"]);
    const byOperator = await server.fetch(`/partner/v1/subscriptions/${bought["team-1"]}`, {
      headers: { authorization: `Bearer ${server.operatorKey}`, "x-saasport-publisher-id": "contoso" },
    });
    expect(byOperator.status).toBe(200);
    expect(await byOperator.json()).toEqual(listed.subscriptions.find((s) => s.id === bought["team-1"]));
  });

  it("answers another publisher's subscription exactly like an unknown one: 404", async () => {
    const theirs = (await list("", fabrikamToken)).body.subscriptions[0]?.id ?? "";
    const unknown = "99999999-9999-4999-8999-999999999999";
    const other = await one(theirs);
    const missing = await one(unknown);
    const stolen = await one(bought["basic-1"] ?? "", fabrikamToken);
    for (const answer of [other, missing, stolen]) {
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({ code: "EntityNotFound", target: "subscriptionId" });
      expect(answer.body).not.toHaveProperty("publisherId");
    }
    expect(other.body.error?.message).toBe(`Subscription ${theirs} was not found.`);
    expect(missing.body.error?.message).toBe(`Subscription ${unknown} was not found.`);
    expect((await one(theirs, fabrikamToken)).status).toBe(200);
    expect((await server.fetch(`/partner/v1/subscriptions/${bought["basic-1"]}`)).status).toBe(401);
  });

  it.each(["not-a-guid", "------------------------------------", "99999999-9999-4999-8999-99999999999g"])(
    "refuses the malformed id %s with 400 naming params.subscriptionId",
    async (id) => {
      const { status, body } = await one(id);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: "BadArgument", target: "params.subscriptionId" });
      expect(body.error?.message).toContain("must be a subscription id");
    },
  );

  it("is described in /openapi.json", async () => {
    const document = (await (await server.fetch("/openapi.json")).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    const parameters = document.paths["/partner/v1/subscriptions"]?.get?.parameters ?? [];
    expect(parameters.map((parameter) => parameter.name).sort()).toEqual([
      "beneficiaryTenantId",
      "continuationToken",
      "limit",
      "offerId",
      "planId",
      "status",
    ]);
    const single = document.paths["/partner/v1/subscriptions/{subscriptionId}"]?.get?.parameters ?? [];
    expect(single.map((parameter) => parameter.name)).toEqual(["subscriptionId"]);
  });
});
