import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { fixture, seedFixtureCatalog } from "../../support/fixture-catalog.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";
import { buyAndActivate, newTestClock } from "../ledger-support.js";
import { buyerToken, call, settleLedger, start } from "./invoice-support.js";

/** A customer of the reseller: the reseller pays, so the invoices are the reseller's. */
const resoldTenant = "ffffffff-0000-4000-8000-000000000006";

describe.each(databaseKinds)("store invoices on %s", (database) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let seatsId = "";
  let resoldId = "";

  beforeAll(async () => {
    server = await startTestServer({ database, clock: new ManualClock(start), seed: seedFixtureCatalog });
    for (const [name, tenant] of [
      ["buyer", fixture.buyerTenant],
      ["stranger", fixture.strangerTenant],
      ["reseller", fixture.resellerTenant],
      ["resold", resoldTenant],
    ] as const) {
      tokens[name] = await buyerToken(server, tenant);
    }
    await newTestClock(server, "store");
    seatsId = await buyAndActivate(server, {
      offerId: "seats",
      planId: "team",
      termUnit: "P1M",
      quantity: 3,
      testClock: "store",
    });
    resoldId = await buyAndActivate(server, {
      offerId: "analytics",
      planId: "basic",
      termUnit: "P1M",
      testClock: "store",
      tenantId: resoldTenant,
      purchaserTenantId: fixture.resellerTenant,
    });
    await settleLedger(server);
    await advance(server, "P2M", "store");
  });
  afterAll(async () => server?.stop());

  const buyerInvoices = () => call(server, tokens.buyer, "GET", "/store/v1/invoices");

  it("lists the buyer's invoices, newest month first, one per month at 3 × 49.99", async () => {
    const listed = await buyerInvoices();
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json).toEqual({
      invoices: [
        {
          id: expect.any(String),
          billingAccount: fixture.buyerTenant,
          month: "2025-02",
          currency: "USD",
          status: "open",
          total: "149.97",
          lineCount: 1,
          issuedAt: "2025-03-01T00:00:00.000Z",
          paidAt: null,
          failedAt: null,
          testClock: "store",
        },
        {
          id: expect.any(String),
          billingAccount: fixture.buyerTenant,
          month: "2025-01",
          currency: "USD",
          status: "open",
          total: "149.97",
          lineCount: 1,
          issuedAt: "2025-02-01T00:00:00.000Z",
          paidAt: null,
          failedAt: null,
          testClock: "store",
        },
      ],
      next: null,
    });
  });

  it("filters by status and month", async () => {
    const january = await call(server, tokens.buyer, "GET", "/store/v1/invoices?month=2025-01&status=open");
    expect(january.json.invoices.map((invoice: { month: string }) => invoice.month)).toEqual(["2025-01"]);
    const paid = await call(server, tokens.buyer, "GET", "/store/v1/invoices?status=paid");
    expect(paid.status).toBe(200);
    expect(paid.json).toEqual({ invoices: [], next: null });
  });

  it("shows one invoice with its lines", async () => {
    const [, january] = (await buyerInvoices()).json.invoices;
    const shown = await call(server, tokens.buyer, "GET", `/store/v1/invoices/${january.id}`);
    expect(shown.status, shown.text).toBe(200);
    expect(shown.json).toEqual({
      ...january,
      lines: [
        {
          id: expect.any(String),
          kind: "instalment",
          description: "team plan: term 2025-01-15 to 2025-02-14, 3 seats",
          subscriptionId: seatsId,
          publisherId: "contoso",
          offerId: "seats",
          planId: "team",
          onDay: "2025-01-15",
          periodStart: "2025-01-15",
          periodEnd: "2025-02-14",
          quantity: "3",
          unitPrice: null,
          amount: "149.97",
          listAmount: null,
          resellerMargin: null,
          privateOfferId: null,
          currency: "USD",
        },
      ],
    });
  });

  it("exports an invoice's lines and the invoice list as CSV attachments", async () => {
    const [february, january] = (await buyerInvoices()).json.invoices;
    const shown = await call(server, tokens.buyer, "GET", `/store/v1/invoices/${january.id}`);
    const exported = await call(server, tokens.buyer, "GET", `/store/v1/invoices/${january.id}?format=csv`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(exported.headers.get("content-disposition")).toBe(
      `attachment; filename="invoice-2025-01-${january.id}.csv"`,
    );
    expect(exported.text).toBe(
      "invoiceId,month,lineId,kind,description,subscriptionId,publisherId,offerId,planId,onDay,periodStart,periodEnd,quantity,unitPrice,currency,amount,listAmount,resellerMargin,privateOfferId\r\n" +
        `${january.id},2025-01,${shown.json.lines[0].id},instalment,"team plan: term 2025-01-15 to 2025-02-14, 3 seats",${seatsId},contoso,seats,team,2025-01-15,2025-01-15,2025-02-14,3,,USD,149.97,,,\r\n`,
    );

    const list = await call(server, tokens.buyer, "GET", "/store/v1/invoices?format=csv");
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(list.headers.get("content-disposition")).toBe(
      `attachment; filename="invoices-${fixture.buyerTenant}.csv"`,
    );
    expect(list.text).toBe(
      "id,billingAccount,month,currency,status,total,lineCount,issuedAt,paidAt,failedAt,testClock\r\n" +
        `${february.id},${fixture.buyerTenant},2025-02,USD,open,149.97,1,2025-03-01T00:00:00.000Z,,,store\r\n` +
        `${january.id},${fixture.buyerTenant},2025-01,USD,open,149.97,1,2025-02-01T00:00:00.000Z,,,store\r\n`,
    );
  });

  it("hides other accounts' invoices: another tenant sees nothing and gets 404", async () => {
    const [february] = (await buyerInvoices()).json.invoices;
    const listed = await call(server, tokens.stranger, "GET", "/store/v1/invoices");
    expect(listed.json).toEqual({ invoices: [], next: null });
    for (const path of [
      `/store/v1/invoices/${february.id}`,
      `/store/v1/invoices/${february.id}?format=csv`,
    ]) {
      const shown = await call(server, tokens.stranger, "GET", path);
      expect(shown.status).toBe(404);
      expect(shown.json.error).toMatchObject({ code: "NotFound", target: "invoiceId" });
      expect(shown.json.error.message).toContain(february.id);
    }
    const asked = await call(
      server,
      tokens.stranger,
      "GET",
      `/store/v1/invoices?tenantId=${fixture.buyerTenant}`,
    );
    expect(asked.status).toBe(403);
    expect(asked.json.error).toMatchObject({ code: "Forbidden", target: "tenantId" });
  });

  it("bills a reseller for its customer's subscription; the customer sees no invoice", async () => {
    const listed = await call(server, tokens.reseller, "GET", "/store/v1/invoices");
    expect(
      listed.json.invoices.map((invoice: { month: string; total: string }) => [invoice.month, invoice.total]),
    ).toEqual([
      ["2025-02", "49.99"],
      ["2025-01", "49.99"],
    ]);
    const shown = await call(
      server,
      tokens.reseller,
      "GET",
      `/store/v1/invoices/${listed.json.invoices[1].id}`,
    );
    expect(shown.json.billingAccount).toBe(fixture.resellerTenant);
    expect(shown.json.lines).toMatchObject([
      {
        subscriptionId: resoldId,
        amount: "49.99",
        listAmount: "49.99",
        resellerMargin: "0.00",
        description: "basic plan: term 2025-01-15 to 2025-02-14",
      },
    ]);
    expect((await call(server, tokens.resold, "GET", "/store/v1/invoices")).json.invoices).toEqual([]);
    const theirs = await call(
      server,
      tokens.resold,
      "GET",
      `/store/v1/invoices/${listed.json.invoices[1].id}`,
    );
    expect(theirs.status).toBe(404);
  });

  it("lets the operator key act for a buyer named by tenantId", async () => {
    const listed = await call(
      server,
      server.operatorKey,
      "GET",
      `/store/v1/invoices?tenantId=${fixture.buyerTenant.toUpperCase()}`,
    );
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json).toEqual((await buyerInvoices()).json);
    const shown = await call(
      server,
      server.operatorKey,
      "GET",
      `/store/v1/invoices/${listed.json.invoices[0].id}`,
    );
    expect(shown.status).toBe(200);
    expect(shown.json.lines).toHaveLength(1);
    const unnamed = await call(server, server.operatorKey, "GET", "/store/v1/invoices");
    expect(unnamed.status).toBe(400);
    expect(unnamed.json.error).toMatchObject({ code: "BadArgument", target: "tenantId" });
    expect(unnamed.json.error.message).toContain("?tenantId=");
  });

  it("asks for a sign-in without a buyer token or the operator key", async () => {
    for (const bearer of [undefined, "not-a-token"]) {
      const refused = await call(server, bearer, "GET", "/store/v1/invoices");
      expect(refused.status).toBe(401);
      expect(refused.json.error.message).toContain("buyer token");
    }
  });

  it("answers 400 naming every bad query value", async () => {
    const bad = await call(
      server,
      tokens.buyer,
      "GET",
      "/store/v1/invoices?status=overdue&month=2025-13&limit=0",
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("BadArgument");
    expect(bad.json.error.details).toEqual([
      { code: "InvalidValue", target: "status", message: 'status is open, paid or failed; got "overdue".' },
      {
        code: "InvalidValue",
        target: "month",
        message: 'month is a calendar month like 2025-01; got "2025-13".',
      },
      { code: "InvalidValue", target: "limit", message: 'limit is a whole number from 1 to 1000; got "0".' },
    ]);
    expect(bad.json.error.message).toContain("3 query parameters are wrong");
    const unknown = await call(server, tokens.buyer, "GET", "/store/v1/invoices?stauts=open");
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ target: "stauts", details: [{ code: "UnknownParameter" }] });
    const format = await call(server, tokens.buyer, "GET", "/store/v1/invoices?format=xml");
    expect(format.status).toBe(400);
    expect(format.json.error.message).toBe('format is json or csv; got "xml".');
    const twice = await call(server, tokens.buyer, "GET", "/store/v1/invoices?status=open&status=paid");
    expect(twice.status).toBe(400);
    expect(twice.json.error.message).toBe("Give status once.");
  });
});
