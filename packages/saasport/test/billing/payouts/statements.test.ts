import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { advance, operator } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { fixture } from "../../support/fixture-catalog.js";
import { publisherToken } from "../../support/marketplace-client.js";
import type { TestServer } from "../../support/server.js";
import { newTestClock } from "../ledger-support.js";
import {
  asOperator,
  asPublisher,
  buy,
  cancel,
  changeSeats,
  expectFeePlusPayoutIsCollected,
  get,
  startBillingServer,
} from "./payouts-support.js";

/** 3 seats of the fixture's seats/team plan at 49.99 per seat and month; 3% of 149.97 is 4.4991. */
const threeSeats = {
  month: "2025-02",
  currency: "USD",
  collected: "149.97",
  storeFee: "4.50",
  payout: "145.47",
};

describe.each(databaseKinds)("payout statements on %s", (database) => {
  let server: TestServer;
  beforeEach(async () => {
    // A fresh server per test: statements add up everything ever collected, so tests must not share.
    server = await startBillingServer(database, "automatic");
    await newTestClock(server, "payouts");
  });
  afterEach(async () => server?.stop());

  it("collects each paid invoice in the month it was paid and keeps 3% of the month's total", async () => {
    await buy(server, { offerId: "seats", planId: "team", quantity: 3, testClock: "payouts" });
    await advance(server, "P2M", "payouts");

    // Automatic collection pays January's invoice at 2025-02-01T00:00Z and February's on 1 March.
    const token = await publisherToken(server, "contoso");
    const own = await get(server, "/partner/v1/payouts", token);
    expect(own.status, own.text).toBe(200);
    expect(own.json).toEqual({
      publisherId: "contoso",
      storeFeePercent: "3",
      statements: [
        { ...threeSeats, month: "2025-02", invoices: 1, lines: 1 },
        { ...threeSeats, month: "2025-03", invoices: 1, lines: 1 },
      ],
    });
    expectFeePlusPayoutIsCollected(own.json.statements);

    const all = await asOperator(server, "/operator/v1/payouts");
    expect(all.json).toEqual({
      storeFeePercent: "3",
      statements: own.json.statements.map((statement: object) => ({ publisherId: "contoso", ...statement })),
    });

    const months = async (query: string) =>
      (await asPublisher(server, "contoso", `/partner/v1/payouts${query}`)).json.statements.map(
        (statement: { month: string }) => statement.month,
      );
    expect(await months("?from=2025-03")).toEqual(["2025-03"]);
    expect(await months("?to=2025-02")).toEqual(["2025-02"]);
    expect(await months("?from=2025-02&to=2025-02")).toEqual(["2025-02"]);
    expect(await months("?from=2025-04")).toEqual([]);
    expect(await months("?to=2025-01")).toEqual([]);
  });

  it("splits an invoice that carries two publishers' lines; neither sees the other's money", async () => {
    await buy(server, { offerId: "seats", planId: "team", quantity: 3, testClock: "payouts" });
    await buy(server, {
      publisher: "fabrikam",
      offerId: "backup",
      planId: "standard",
      testClock: "payouts",
    });
    await advance(server, "P1M", "payouts");

    const all = await asOperator(server, "/operator/v1/payouts");
    expect(all.json.statements).toEqual([
      { publisherId: "contoso", ...threeSeats, invoices: 1, lines: 1 },
      {
        publisherId: "fabrikam",
        month: "2025-02",
        currency: "USD",
        collected: "49.99",
        storeFee: "1.50",
        payout: "48.49",
        invoices: 1,
        lines: 1,
      },
    ]);
    expectFeePlusPayoutIsCollected(all.json.statements);
    const onlyFabrikam = await asOperator(server, "/operator/v1/payouts?publisherId=fabrikam");
    expect(onlyFabrikam.json.statements).toEqual([all.json.statements[1]]);

    const fabrikam = await publisherToken(server, "fabrikam");
    const theirPayouts = await get(server, "/partner/v1/payouts", fabrikam);
    expect(theirPayouts.json.publisherId).toBe("fabrikam");
    expect(
      theirPayouts.json.statements.map((statement: { collected: string }) => statement.collected),
    ).toEqual(["49.99"]);
    const theirRevenue = await get(server, "/partner/v1/revenue?from=2025-01&to=2025-12", fabrikam);
    expect(theirRevenue.status).toBe(200);
    expect(JSON.stringify(theirRevenue.json)).not.toContain("seats");
    expect(theirRevenue.json.months[0].offers.map((offer: { offerId: string }) => offer.offerId)).toEqual([
      "backup",
    ]);
    const askingForContoso = await get(server, "/partner/v1/revenue?from=2025-01&to=2025-12", fabrikam, {
      "x-saasport-publisher-id": "contoso",
    });
    expect(askingForContoso.status).toBe(403);
    expect(JSON.stringify(askingForContoso.json)).not.toContain("149.97");
    const contosoRevenue = await asPublisher(
      server,
      "contoso",
      "/partner/v1/revenue?from=2025-01&to=2025-12",
    );
    expect(JSON.stringify(contosoRevenue.json)).not.toContain("backup");
  });

  it("nets refunds and proration credits before the fee: 246.72 collected, 7.40 fee", async () => {
    const kept = await buy(server, { offerId: "seats", planId: "team", quantity: 3, testClock: "payouts" });
    const refunded = await buy(server, {
      offerId: "seats",
      planId: "team",
      quantity: 1,
      testClock: "payouts",
    });
    await advance(server, "P1D", "payouts");
    await cancel(server, refunded);
    await changeSeats(server, kept, 5);
    await advance(server, "P1M", "payouts");

    // January: 149.97 + 49.99 − 49.99 (refund) − 145.13 (unused 30 of 31 days at 3 seats) + 241.88.
    const revenue = await asPublisher(server, "contoso", "/partner/v1/revenue?from=2025-01&to=2025-01");
    expect(revenue.json.months).toEqual([
      {
        month: "2025-01",
        currency: "USD",
        offers: [
          {
            offerId: "seats",
            planId: "team",
            byKind: {
              instalment: "199.96",
              prorationCredit: "-145.13",
              prorationCharge: "241.88",
              refund: "-49.99",
              overage: "0.00",
            },
            total: "246.72",
            invoiced: "246.72",
            collected: "246.72",
            resellerMargin: null,
          },
        ],
        total: "246.72",
        invoiced: "246.72",
        collected: "246.72",
        resellerMargin: null,
      },
    ]);
    const payouts = await asPublisher(server, "contoso", "/partner/v1/payouts");
    expect(payouts.json.statements).toEqual([
      {
        month: "2025-02",
        currency: "USD",
        collected: "246.72",
        storeFee: "7.40",
        payout: "239.32",
        invoices: 1,
        lines: 5,
      },
    ]);
    expectFeePlusPayoutIsCollected(payouts.json.statements);
  });

  it("takes the fee on what a reseller paid and reports the reseller's margin as information", async () => {
    const created = await asPublisherPost(server, "/partner/v1/private-offers", {
      name: "Reseller deal",
      offerId: "seats",
      customerTenantId: fixture.resellerTenant,
      audience: "reseller",
      acceptBy: "2025-01-31",
      validFrom: "2025-01-01",
      validTo: "2025-12-31",
      plans: [{ planId: "team", discountPercent: "15" }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const buyerToken = await operator(server, "POST", "/operator/v1/buyer-tokens", {
      tenantId: fixture.resellerTenant,
    });
    const accepted = await server.fetch(`/store/v1/private-offers/${created.body.id}/accept`, {
      method: "POST",
      headers: { authorization: `Bearer ${buyerToken.body.access_token}` },
    });
    expect(accepted.status, await accepted.text()).toBe(200);
    await buy(server, {
      offerId: "seats",
      planId: "team",
      quantity: 2,
      testClock: "payouts",
      purchaserTenantId: fixture.resellerTenant,
    });
    await advance(server, "P1M", "payouts");

    // List 2 × 49.99 = 99.98; the reseller pays 85%: 84.983 → 84.98, a margin of 15.00.
    const revenue = await asPublisher(server, "contoso", "/partner/v1/revenue?from=2025-01&to=2025-01");
    expect(revenue.json.months[0]).toMatchObject({
      total: "84.98",
      collected: "84.98",
      resellerMargin: "15.00",
      offers: [{ offerId: "seats", planId: "team", total: "84.98", resellerMargin: "15.00" }],
    });
    const payouts = await asPublisher(server, "contoso", "/partner/v1/payouts");
    expect(payouts.json.statements).toEqual([
      {
        month: "2025-02",
        currency: "USD",
        collected: "84.98",
        storeFee: "2.55",
        payout: "82.43",
        invoices: 1,
        lines: 1,
      },
    ]);
  });
});

async function asPublisherPost(server: TestServer, path: string, body: unknown) {
  const response = await server.fetch(path, {
    method: "POST",
    headers: {
      authorization: `Bearer ${server.operatorKey}`,
      "x-saasport-publisher-id": "contoso",
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { id: string } };
}
