import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { call, publisherToken } from "./support/http.js";
import { seedCatalog, seeded } from "./support/seed.js";

describe.each(databaseKinds)("Partner API with publisher tokens on %s", (kind) => {
  let server: TestServer;
  let contosoToken: string;
  let adatumToken: string;
  beforeAll(async () => {
    server = await startTestServer({ database: kind });
    await seedCatalog(server);
    contosoToken = await publisherToken(
      server,
      seeded.contoso.tenantId,
      seeded.contoso.appId,
      seeded.contoso.secret,
    );
    adatumToken = await publisherToken(
      server,
      seeded.adatum.tenantId,
      seeded.adatum.appId,
      seeded.adatum.secret,
    );
  });
  afterAll(async () => server?.stop());

  const bearer = (token: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...extra,
  });

  it("acts for the publisher the token's tenant and app belong to", async () => {
    const answer = await call(server, "GET", "/partner/v1/technical-configuration", {
      headers: bearer(contosoToken),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      publisherId: "contoso",
      tenantId: seeded.contoso.tenantId,
      appId: seeded.contoso.appId,
    });
  });

  it("keeps each publisher to its own offers", async () => {
    const created = await call(server, "POST", "/partner/v1/offers", {
      headers: bearer(contosoToken),
      body: { id: "private-offer", displayName: "Contoso's", pricingModel: "flatRate" },
    });
    expect(created.status).toBe(201);
    const theirs = await call(server, "GET", "/partner/v1/offers/private-offer", {
      headers: bearer(adatumToken),
    });
    expect(theirs.status).toBe(404);
    const changed = await call(server, "PATCH", "/partner/v1/offers/private-offer", {
      headers: bearer(adatumToken),
      body: { displayName: "Taken over" },
    });
    expect(changed.status).toBe(404);
    const listed = await call(server, "GET", "/partner/v1/offers", { headers: bearer(adatumToken) });
    expect(listed.body.offers.map((offer: { id: string }) => offer.id)).toEqual(["analytics", "crm"]);
  });

  it("answers 403 when the token names one publisher and the header another", async () => {
    const answer = await call(server, "GET", "/partner/v1/offers", {
      headers: bearer(contosoToken, { "x-saasport-publisher-id": "adatum" }),
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ code: "Forbidden", target: "x-saasport-publisher-id" });
  });

  it("accepts the header when it names the token's own publisher", async () => {
    const answer = await call(server, "GET", "/partner/v1/offers", {
      headers: bearer(adatumToken, { "x-saasport-publisher-id": "adatum" }),
    });
    expect(answer.status).toBe(200);
  });
});
