import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/cli/main.js";
import { advance, seedWithWebhook, subscription } from "../../clock/clock-support.js";
import { fixture } from "../../support/fixture-catalog.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";
import { buyAndActivate, newTestClock } from "../ledger-support.js";
import { settleLedger, start } from "./invoice-support.js";

describe("saasport invoices", () => {
  let server: TestServer;
  let subscriptionId = "";
  beforeAll(async () => {
    server = await startTestServer({
      database: "sqlite",
      clock: new ManualClock(start),
      seed: seedWithWebhook(),
    });
    await newTestClock(server, "cli");
    subscriptionId = await buyAndActivate(server, {
      offerId: "seats",
      planId: "team",
      termUnit: "P1M",
      quantity: 3,
      testClock: "cli",
    });
    await settleLedger(server);
    await advance(server, "P2M", "cli");
  });
  afterAll(async () => server?.stop());

  /** Runs the command line in this process and collects what it printed (console and raw stdout). */
  async function saasport(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi
      .spyOn(console, "log")
      .mockImplementation((line: unknown) => void out.push(`${String(line)}\n`));
    const error = vi
      .spyOn(console, "error")
      .mockImplementation((line: unknown) => void err.push(String(line)));
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const help = args.includes("--help");
      const code = await main([
        "invoices",
        ...args,
        ...(help ? [] : ["--url", server.url, "--operator-key", server.operatorKey]),
      ]);
      return { code, stdout: out.join(""), stderr: err.join("\n") };
    } finally {
      log.mockRestore();
      error.mockRestore();
      write.mockRestore();
    }
  }

  async function invoiceIds() {
    const listed = await saasport("list", "--test-clock", "cli", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout).invoices as { id: string; month: string }[]).map(
      (invoice) => invoice.id,
    );
  }

  it("lists invoices as a table, as JSON and as CSV", async () => {
    const [february, january] = await invoiceIds();
    const table = await saasport("list", "--account", fixture.buyerTenant, "--status", "open");
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n").slice(0, 3)).toEqual([
      "INVOICE                               MONTH    ACCOUNT                               CLOCK  STATUS       TOTAL  LINES",
      `${february}  2025-02  ${fixture.buyerTenant}  cli    open    149.97 USD      1`,
      `${january}  2025-01  ${fixture.buyerTenant}  cli    open    149.97 USD      1`,
    ]);
    const csv = await saasport("list", "--month", "2025-01", "--csv");
    expect(csv.stdout).toBe(
      "id,billingAccount,month,currency,status,total,lineCount,issuedAt,paidAt,failedAt,testClock\r\n" +
        `${january},${fixture.buyerTenant},2025-01,USD,open,149.97,1,2025-02-01T00:00:00.000Z,,,cli\r\n`,
    );
    const none = await saasport("list", "--status", "failed");
    expect(none.stdout).toBe("(no invoices)\n");
  });

  it("pages with --limit and --after, or follows every page with --all", async () => {
    const [february, january] = await invoiceIds();
    const first = await saasport("list", "--limit", "1", "--json");
    const page = JSON.parse(first.stdout);
    expect(page.invoices.map((invoice: { id: string }) => invoice.id)).toEqual([february]);
    const more = await saasport("list", "--limit", "1");
    expect(more.stderr).toBe(`(more: --after '${page.next}')`);
    const second = await saasport("list", "--limit", "1", "--after", page.next, "--json");
    expect(JSON.parse(second.stdout)).toMatchObject({ invoices: [{ id: january }], next: null });
    const all = await saasport("list", "--limit", "1", "--all", "--json");
    expect(JSON.parse(all.stdout)).toMatchObject({
      invoices: [{ id: february }, { id: january }],
      next: null,
    });
  });

  it("shows an invoice with its lines, and exports them as CSV", async () => {
    const [, january] = await invoiceIds();
    const shown = await saasport("show", january as string);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/total\s+149\.97 USD/);
    expect(shown.stdout).toMatch(/status\s+open/);
    expect(shown.stdout).toContain(
      `2025-01-15  instalment  team plan: term 2025-01-15 to 2025-02-14, 3 seats  ${subscriptionId}  149.97`,
    );
    const csv = await saasport("show", january as string, "--csv");
    expect(csv.stdout.split("\r\n")).toHaveLength(3);
    expect(csv.stdout).toContain(
      `,instalment,"team plan: term 2025-01-15 to 2025-02-14, 3 seats",${subscriptionId},`,
    );
  });

  it("fails an invoice (suspending its subscription), then pays it (reinstating it)", async () => {
    const [february] = await invoiceIds();
    const failed = await saasport("fail", february as string);
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stdout).toMatch(/status\s+failed/);
    expect(failed.stdout).toMatch(new RegExp(`suspended\\s+${subscriptionId} \\(operation .+, Succeeded\\)`));
    expect((await subscription(server, subscriptionId)).status).toBe("Suspended");

    const paid = await saasport("pay", february as string, "--json");
    expect(paid.code, paid.stderr).toBe(0);
    expect(JSON.parse(paid.stdout)).toMatchObject({
      invoice: { id: february, status: "paid", paidAt: "2025-03-15T10:00:00.000Z" },
      reinstated: [{ subscriptionId, operationStatus: "InProgress" }],
    });
  });

  it("runs the invoicing of every clock or one", async () => {
    const all = await saasport("run");
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^CLOCK\s+LINES COMPUTED\s+INVOICES ISSUED\s+LINES INVOICED\n/);
    expect(all.stdout).toMatch(/\nglobal\s+0\s+0\s+0\n/);
    const one = await saasport("run", "--test-clock", "cli", "--json");
    expect(JSON.parse(one.stdout)).toEqual({
      runs: [{ testClock: "cli", linesComputed: expect.any(Number), invoicesIssued: 0, linesInvoiced: 0 }],
    });
  });

  it("explains refusals and bad input, and exits with 2", async () => {
    const [february] = await invoiceIds();
    const again = await saasport("pay", february as string);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`answered 409: Invoice ${february} is already paid`);
    const missing = await saasport("show", "nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no invoice "nope".');
    const status = await saasport("list", "--status", "late", "--month", "May");
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('status: status is open, paid or failed; got "late".');
    expect(status.stderr).toContain('month: month is a calendar month like 2025-01; got "May".');
    const clock = await saasport("run", "--test-clock", "nowhere");
    expect(clock.code).toBe(2);
    expect(clock.stderr).toContain('no test clock "nowhere"');
    const both = await saasport("list", "--csv", "--json");
    expect(both.code).toBe(2);
    expect(both.stderr).toBe("saasport: Choose one of --csv and --json.");
  });

  it("prints help for the command and every subcommand", async () => {
    const top = await saasport("--help");
    expect(top.code).toBe(0);
    for (const name of ["list", "show", "pay", "fail", "run"]) expect(top.stdout).toContain(name);
    for (const name of ["list", "show", "pay", "fail", "run"]) {
      const help = await saasport(name, "--help");
      expect(help.code, name).toBe(0);
      expect(help.stdout).toContain(`Usage: saasport invoices ${name}`);
      expect(help.stdout).toContain("--operator-key");
    }
  });
});
