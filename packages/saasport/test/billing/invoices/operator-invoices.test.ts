import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { fixture, seedFixtureCatalog } from "../../support/fixture-catalog.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";
import { buyAndActivate, newTestClock } from "../ledger-support.js";
import { buyerToken, buyOnGlobalClock, call, settleLedger, start } from "./invoice-support.js";

type Invoice = {
  id: string;
  billingAccount: string;
  month: string;
  status: string;
  testClock: string | null;
};

/** Three accounts on two test clocks and the global clock: (month, account) pairs to filter and page. */
describe.each(databaseKinds)("operator invoice listing on %s", (database) => {
  let server: TestServer;
  let all: Invoice[] = [];

  beforeAll(async () => {
    server = await startTestServer({ database, clock: new ManualClock(start), seed: seedFixtureCatalog });
    await newTestClock(server, "north");
    await newTestClock(server, "south");
    for (const [testClock, tenantId] of [
      ["north", fixture.buyerTenant],
      ["north", fixture.strangerTenant],
      ["south", fixture.buyerTenant],
    ] as const) {
      await buyAndActivate(server, { offerId: "seats", planId: "team", quantity: 2, testClock, tenantId });
    }
    await buyOnGlobalClock(server, {
      offerId: "analytics",
      planId: "basic",
      tenantId: fixture.resellerTenant,
    });
    await settleLedger(server);
    await advance(server, "P3M", "north");
    await advance(server, "P2M", "south");
    await advance(server, "P1M");
    const listed = await call(server, server.operatorKey, "GET", "/operator/v1/invoices");
    expect(listed.status, listed.text).toBe(200);
    all = listed.json.invoices;
  });
  afterAll(async () => server?.stop());

  const list = async (query: string) => {
    const listed = await call(server, server.operatorKey, "GET", `/operator/v1/invoices${query}`);
    expect(listed.status, listed.text).toBe(200);
    return listed.json as { invoices: Invoice[]; next: string | null };
  };
  const keys = (invoices: Invoice[]) =>
    invoices.map(
      (invoice) => `${invoice.testClock ?? "global"} ${invoice.month} ${invoice.billingAccount.slice(0, 4)}`,
    );

  it("lists every invoice, newest month first", async () => {
    expect(all).toHaveLength(3 + 3 + 2 + 1);
    expect(all.map((invoice) => invoice.month)).toEqual([
      "2025-03",
      "2025-03",
      "2025-02",
      "2025-02",
      "2025-02",
      "2025-01",
      "2025-01",
      "2025-01",
      "2025-01",
    ]);
    for (const [index, invoice] of all.entries()) {
      const next = all[index + 1];
      if (next && next.month === invoice.month) expect(invoice.id > next.id).toBe(true);
    }
  });

  it("filters by billing account, status, month and clock (empty: the global clock)", async () => {
    const buyer = await list(`?billingAccount=${fixture.buyerTenant.toUpperCase()}`);
    expect(keys(buyer.invoices).sort()).toEqual([
      "north 2025-01 cccc",
      "north 2025-02 cccc",
      "north 2025-03 cccc",
      "south 2025-01 cccc",
      "south 2025-02 cccc",
    ]);
    expect(keys((await list("?testClock=south")).invoices)).toEqual([
      "south 2025-02 cccc",
      "south 2025-01 cccc",
    ]);
    expect(keys((await list("?testClock=")).invoices)).toEqual(["global 2025-01 eeee"]);
    expect(keys((await list("?month=2025-03")).invoices).sort()).toEqual([
      "north 2025-03 cccc",
      "north 2025-03 dddd",
    ]);
    expect(
      keys((await list(`?month=2025-02&testClock=north&billingAccount=${fixture.strangerTenant}`)).invoices),
    ).toEqual(["north 2025-02 dddd"]);
    expect((await list("?status=open")).invoices).toHaveLength(all.length);
    expect((await list("?status=failed")).invoices).toEqual([]);
    expect((await list("?testClock=nowhere")).invoices).toEqual([]);
  });

  it("pages by (month, id) with a next cursor, to the same invoices in the same order", async () => {
    const seen: Invoice[] = [];
    let after = "";
    let pages = 0;
    for (;;) {
      const page = await list(`?limit=2${after ? `&after=${encodeURIComponent(after)}` : ""}`);
      seen.push(...page.invoices);
      pages++;
      if (page.next === null) break;
      expect(page.invoices).toHaveLength(2);
      after = page.next;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(all);
    const firstPage = await call(
      server,
      server.operatorKey,
      "GET",
      "/operator/v1/invoices?limit=4&status=open",
    );
    const next = firstPage.json.next as string;
    expect(next).toBe(`${all[3]?.month}|${all[3]?.id}`);
    expect(firstPage.headers.get("link")).toBe(
      `</operator/v1/invoices?limit=4&status=open&after=${encodeURIComponent(next)}>; rel="next"`,
    );
    const exactly = await list(`?limit=${all.length}`);
    expect(exactly.next).toBeNull();
  });

  it("exports the listing as CSV, one row per invoice", async () => {
    const exported = await call(
      server,
      server.operatorKey,
      "GET",
      "/operator/v1/invoices?testClock=&format=csv",
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="invoices.csv"');
    const [global] = all.filter((invoice) => invoice.testClock === null);
    expect(exported.text).toBe(
      "id,billingAccount,month,currency,status,total,lineCount,issuedAt,paidAt,failedAt,testClock\r\n" +
        `${global?.id},${fixture.resellerTenant},2025-01,USD,open,49.99,1,2025-02-01T00:00:00.000Z,,,\r\n`,
    );
  });

  it("answers 400 with the reasons for bad filters and cursors", async () => {
    const bad = await call(
      server,
      server.operatorKey,
      "GET",
      "/operator/v1/invoices?billingAccount=acme&testClock=no%20spaces&limit=1001&after=yesterday",
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((detail: { target: string }) => detail.target)).toEqual([
      "billingAccount",
      "testClock",
      "limit",
      "after",
    ]);
    expect(bad.json.error.details[0].message).toBe('billingAccount is a tenant id (a GUID); got "acme".');
    expect(bad.json.error.details[3].message).toBe(
      'after takes the next value of the previous page; got "yesterday".',
    );
    const limit = await call(server, server.operatorKey, "GET", "/operator/v1/invoices?limit=ten");
    expect(limit.json.error).toMatchObject({ code: "BadArgument", target: "limit" });
  });

  it("is the operator's: a buyer token or no key is refused", async () => {
    const token = await buyerToken(server, fixture.buyerTenant);
    for (const path of ["/operator/v1/invoices", `/operator/v1/invoices/${all[0]?.id}`]) {
      for (const bearer of [token, undefined]) {
        const refused = await call(server, bearer, "GET", path);
        expect(refused.status).toBe(401);
        expect(refused.json.error.code).toBe("OperatorKeyRequired");
      }
    }
    for (const action of ["pay", "fail"]) {
      const refused = await call(server, token, "POST", `/operator/v1/invoices/${all[0]?.id}/${action}`);
      expect(refused.status).toBe(401);
    }
    expect((await call(server, token, "POST", "/operator/v1/billing/run")).status).toBe(401);
  });

  it("shows any invoice with its lines, as JSON or CSV, and 404 for an unknown one", async () => {
    const invoice = all[0] as Invoice;
    const shown = await call(
      server,
      server.operatorKey,
      "GET",
      `/operator/v1/invoices/${invoice.id.toUpperCase()}`,
    );
    expect(shown.status).toBe(200);
    expect(shown.json).toMatchObject({
      ...invoice,
      total: "99.98",
      lines: [{ amount: "99.98", quantity: "2" }],
    });
    const exported = await call(
      server,
      server.operatorKey,
      "GET",
      `/operator/v1/invoices/${invoice.id}?format=csv`,
    );
    expect(exported.headers.get("content-disposition")).toBe(
      `attachment; filename="invoice-${invoice.month}-${invoice.id}.csv"`,
    );
    expect(exported.text.split("\r\n")).toHaveLength(3);
    const missing = await call(server, server.operatorKey, "GET", "/operator/v1/invoices/nope");
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({
      code: "NotFound",
      message: 'There is no invoice "nope".',
      target: "invoiceId",
    });
  });
});
