import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { advance } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import type { TestServer } from "../../support/server.js";
import { newTestClock } from "../ledger-support.js";
import {
  asOperator,
  asPublisher,
  buy,
  expectFeePlusPayoutIsCollected,
  invoicesOnClock,
  markPaid,
  startBillingServer,
} from "./payouts-support.js";

const noKinds = { prorationCredit: "0.00", prorationCharge: "0.00", refund: "0.00", overage: "0.00" };

/** A month of the two subscriptions below: 3 seats of seats/team (149.97) and analytics/basic (49.99). */
function month(name: string, state: { invoiced: boolean; collected: boolean }) {
  const part = (amount: string, included: boolean) => (included ? amount : "0.00");
  const plan = (offerId: string, planId: string, amount: string) => ({
    offerId,
    planId,
    byKind: { instalment: amount, ...noKinds },
    total: amount,
    invoiced: part(amount, state.invoiced),
    collected: part(amount, state.collected),
    resellerMargin: null,
  });
  return {
    month: name,
    currency: "USD",
    offers: [plan("analytics", "basic", "49.99"), plan("seats", "team", "149.97")],
    total: "199.96",
    invoiced: part("199.96", state.invoiced),
    collected: part("199.96", state.collected),
    resellerMargin: null,
  };
}

const open = { invoiced: true, collected: false };
const paid = { invoiced: true, collected: true };
const notInvoiced = { invoiced: false, collected: false };

describe.each(databaseKinds)("revenue and collection on %s", (database) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startBillingServer(database, "manual");
    await newTestClock(server, "revenue");
    await buy(server, { offerId: "seats", planId: "team", quantity: 3, testClock: "revenue" });
    await buy(server, { offerId: "analytics", planId: "basic", testClock: "revenue" });
    await advance(server, "P2M", "revenue");
  });
  afterEach(async () => server?.stop());

  it("reports every line by the month it is dated, and how much of it is invoiced and collected", async () => {
    const revenue = await asPublisher(server, "contoso", "/partner/v1/revenue?from=2024-12&to=2025-06");
    expect(revenue.status, revenue.text).toBe(200);
    expect(revenue.json).toEqual({
      publisherId: "contoso",
      from: "2024-12",
      to: "2025-06",
      months: [month("2025-01", open), month("2025-02", open), month("2025-03", notInvoiced)],
    });
    // Nothing is paid yet, so nothing is collected and there is nothing to pay out.
    expect((await asPublisher(server, "contoso", "/partner/v1/payouts")).json.statements).toEqual([]);

    // January's invoice is paid on 3 March: its money is collected in March, not January.
    const [january] = await invoicesOnClock(server, "revenue");
    expect(january?.month).toBe("2025-01");
    await markPaid(server, january?.id ?? "", "2025-03-03T12:00:00.000Z");
    const payouts = await asPublisher(server, "contoso", "/partner/v1/payouts");
    expect(payouts.json.statements).toEqual([
      {
        month: "2025-03",
        currency: "USD",
        collected: "199.96",
        storeFee: "6.00",
        payout: "193.96",
        invoices: 1,
        lines: 2,
      },
    ]);
    expectFeePlusPayoutIsCollected(payouts.json.statements);
    const after = await asPublisher(server, "contoso", "/partner/v1/revenue?from=2025-01&to=2025-01");
    expect(after.json.months).toEqual([month("2025-01", paid)]);
  });

  it("narrows to one offer and plan, and to the months asked for", async () => {
    const seats = await asPublisher(
      server,
      "contoso",
      "/partner/v1/revenue?from=2025-02&to=2025-03&offerId=seats",
    );
    expect(
      seats.json.months.map((entry: { month: string; total: string }) => [entry.month, entry.total]),
    ).toEqual([
      ["2025-02", "149.97"],
      ["2025-03", "149.97"],
    ]);
    const basic = await asPublisher(
      server,
      "contoso",
      "/partner/v1/revenue?from=2025-01&to=2025-01&planId=basic",
    );
    expect(basic.json.months[0].offers).toEqual([month("2025-01", open).offers[0]]);
    const none = await asPublisher(
      server,
      "contoso",
      "/partner/v1/revenue?from=2025-01&to=2025-03&offerId=beta",
    );
    expect(none.json.months).toEqual([]);
    const operatorView = await asOperator(
      server,
      "/operator/v1/revenue?publisherId=contoso&from=2025-01&to=2025-03",
    );
    expect(operatorView.json).toEqual(
      (await asPublisher(server, "contoso", "/partner/v1/revenue?from=2025-01&to=2025-03")).json,
    );
  });

  it("answers CSV files: a header row, one CRLF-ended record per statement or plan", async () => {
    const [january] = await invoicesOnClock(server, "revenue");
    await markPaid(server, january?.id ?? "", "2025-02-01T00:00:00.000Z");

    const revenue = await asPublisher(
      server,
      "contoso",
      "/partner/v1/revenue?from=2025-01&to=2025-03&format=csv",
    );
    expect(revenue.status).toBe(200);
    expect(revenue.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(revenue.headers.get("content-disposition")).toBe(
      'attachment; filename="revenue-contoso-2025-01-2025-03.csv"',
    );
    expect(revenue.text).toBe(
      [
        "publisherId,month,currency,offerId,planId,instalment,prorationCredit,prorationCharge,refund,overage,total,invoiced,collected,resellerMargin",
        "contoso,2025-01,USD,analytics,basic,49.99,0.00,0.00,0.00,0.00,49.99,49.99,49.99,",
        "contoso,2025-01,USD,seats,team,149.97,0.00,0.00,0.00,0.00,149.97,149.97,149.97,",
        "contoso,2025-02,USD,analytics,basic,49.99,0.00,0.00,0.00,0.00,49.99,49.99,0.00,",
        "contoso,2025-02,USD,seats,team,149.97,0.00,0.00,0.00,0.00,149.97,149.97,0.00,",
        "contoso,2025-03,USD,analytics,basic,49.99,0.00,0.00,0.00,0.00,49.99,0.00,0.00,",
        "contoso,2025-03,USD,seats,team,149.97,0.00,0.00,0.00,0.00,149.97,0.00,0.00,",
        "",
      ].join("\r\n"),
    );

    const payouts = await asPublisher(server, "contoso", "/partner/v1/payouts?format=csv");
    expect(payouts.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(payouts.headers.get("content-disposition")).toBe('attachment; filename="payouts-contoso.csv"');
    expect(payouts.text).toBe(
      "publisherId,month,currency,collected,storeFeePercent,storeFee,payout,invoices,lines\r\n" +
        "contoso,2025-02,USD,199.96,3,6.00,193.96,1,2\r\n",
    );
    const all = await asOperator(server, "/operator/v1/payouts?format=csv&from=2025-01&to=2025-12");
    expect(all.headers.get("content-disposition")).toBe(
      'attachment; filename="payouts-all-2025-01-2025-12.csv"',
    );
    expect(all.text).toBe(payouts.text);
    const empty = await asOperator(server, "/operator/v1/payouts?format=csv&publisherId=fabrikam");
    expect(empty.text).toBe(
      "publisherId,month,currency,collected,storeFeePercent,storeFee,payout,invoices,lines\r\n",
    );
  });

  it("refuses bad months with a 400 that names the field, and callers without the right key", async () => {
    const refused = async (path: string, field: string) => {
      const answer = await asPublisher(server, "contoso", path);
      expect(answer.status, `${path}: ${answer.text}`).toBe(400);
      expect(answer.json.error.code).toBe("BadArgument");
      expect(answer.json.error.target, path).toContain(field);
    };
    await refused("/partner/v1/revenue?from=2025-13&to=2025-12", "from");
    await refused("/partner/v1/revenue?from=2025-1&to=2025-12", "from");
    await refused("/partner/v1/revenue?from=2025-01&to=2025-02-01", "to");
    await refused("/partner/v1/revenue?from=2025-03&to=2025-02", "to");
    await refused("/partner/v1/revenue?to=2025-02", "from");
    await refused("/partner/v1/revenue?from=2025-02", "to");
    await refused("/partner/v1/revenue?from=2015-01&to=2025-02", "to");
    await refused("/partner/v1/revenue?from=2025-01&to=2025-02&format=xml", "format");
    await refused("/partner/v1/payouts?from=January", "from");
    await refused("/partner/v1/payouts?from=2025-05&to=2025-04", "to");
    const tenYears = await asPublisher(server, "contoso", "/partner/v1/revenue?from=2015-01&to=2025-01");
    expect(tenYears.status).toBe(200);

    expect((await asOperator(server, "/operator/v1/payouts?to=2025-00")).status).toBe(400);
    expect((await asOperator(server, "/operator/v1/revenue?from=2025-01&to=2025-02")).status).toBe(400);
    const unknown = await asOperator(
      server,
      "/operator/v1/revenue?publisherId=nobody&from=2025-01&to=2025-02",
    );
    expect(unknown.status).toBe(404);
    expect((await asOperator(server, "/operator/v1/payouts?publisherId=nobody")).status).toBe(404);
    expect((await server.fetch("/operator/v1/payouts")).status).toBe(401);
    const publisherKeyOnOperatorRoute = await server.fetch("/operator/v1/payouts", {
      headers: { authorization: "Bearer not-the-operator-key" },
    });
    expect(publisherKeyOnOperatorRoute.status).toBe(401);
    expect((await server.fetch("/partner/v1/payouts")).status).toBe(401);
  });
});
