import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/cli/main.js";
import { advance } from "../../clock/clock-support.js";
import type { TestServer } from "../../support/server.js";
import { newTestClock } from "../ledger-support.js";
import { buy, startBillingServer } from "./payouts-support.js";

describe("saasport payouts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startBillingServer("sqlite", "automatic");
    await newTestClock(server, "cli");
    await buy(server, { offerId: "seats", planId: "team", quantity: 3, testClock: "cli" });
    await buy(server, { publisher: "fabrikam", offerId: "backup", planId: "standard", testClock: "cli" });
    await advance(server, "P1M", "cli");
  });
  afterAll(async () => server?.stop());

  /** Runs the command line in this process and collects what it printed. */
  async function saasport(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi
      .spyOn(console, "log")
      .mockImplementation((line: unknown) => void out.push(`${String(line)}\n`));
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    });
    const error = vi
      .spyOn(console, "error")
      .mockImplementation((line: unknown) => void err.push(String(line)));
    try {
      const code = await main([
        "payouts",
        ...args,
        ...["--url", server.url, "--operator-key", server.operatorKey],
      ]);
      return { code, stdout: out.join(""), stderr: err.join("\n") };
    } finally {
      log.mockRestore();
      write.mockRestore();
      error.mockRestore();
    }
  }

  it("prints every publisher's statements as a table, as JSON and as CSV", async () => {
    const table = await saasport();
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")).toEqual([
      "Store fee 3% of the money collected each month.",
      "PUBLISHER  MONTH    CURRENCY  COLLECTED  STORE FEE  PAYOUT  INVOICES  LINES",
      "contoso    2025-02  USD          149.97       4.50  145.47         1      1",
      "fabrikam   2025-02  USD           49.99       1.50   48.49         1      1",
      "",
    ]);

    const json = await saasport("--publisher", "contoso", "--json");
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      storeFeePercent: "3",
      statements: [
        {
          publisherId: "contoso",
          month: "2025-02",
          currency: "USD",
          collected: "149.97",
          storeFee: "4.50",
          payout: "145.47",
          invoices: 1,
          lines: 1,
        },
      ],
    });

    const csv = await saasport("--publisher", "fabrikam", "--from", "2025-01", "--to", "2025-02", "--csv");
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe(
      "publisherId,month,currency,collected,storeFeePercent,storeFee,payout,invoices,lines\r\n" +
        "fabrikam,2025-02,USD,49.99,3,1.50,48.49,1,1\r\n",
    );
    const none = await saasport("--from", "2026-01");
    expect(none.stdout).toContain("No payout statements");
  });

  it("prints a publisher's revenue by month, offer and plan", async () => {
    const table = await saasport("revenue", "--publisher", "contoso", "--from", "2025-01", "--to", "2025-02");
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Revenue of contoso, 2025-01 to 2025-02, by the month the lines are dated.");
    expect(lines[1]).toMatch(
      /^MONTH\s+CURRENCY\s+OFFER\s+PLAN\s+INSTALMENTS\s+.*COLLECTED\s+RESELLER MARGIN$/,
    );
    expect(lines[2]?.split(/\s+/)).toEqual([
      "2025-01",
      "USD",
      "seats",
      "team",
      "149.97",
      "0.00",
      "0.00",
      "0.00",
      "0.00",
      "149.97",
      "149.97",
      "149.97",
      "-",
    ]);
    expect(lines[3]?.split(/\s+/).slice(0, 5)).toEqual(["2025-02", "USD", "seats", "team", "149.97"]);
    expect(lines).toHaveLength(4);

    const json = await saasport(
      "revenue",
      "--publisher",
      "contoso",
      "--from",
      "2025-01",
      "--to",
      "2025-01",
      "--json",
    );
    expect(JSON.parse(json.stdout).months[0].total).toBe("149.97");
    const csv = await saasport(
      "revenue",
      "--publisher",
      "fabrikam",
      "--from",
      "2025-01",
      "--to",
      "2025-01",
      "--csv",
    );
    expect(csv.stdout.split("\r\n")[1]).toBe(
      "fabrikam,2025-01,USD,backup,standard,49.99,0.00,0.00,0.00,0.00,49.99,49.99,49.99,",
    );
  });

  it("explains bad input and refusals, and exits with 2", async () => {
    const missing = await saasport("revenue", "--publisher", "contoso");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--from, --to");
    const badMonth = await saasport("--from", "2025-1");
    expect(badMonth.code).toBe(2);
    expect(badMonth.stderr).toContain("--from takes a month such as 2025-03");
    const both = await saasport("--csv", "--json");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("one of --csv and --json");
    const unknown = await saasport(
      "revenue",
      "--publisher",
      "nobody",
      "--from",
      "2025-01",
      "--to",
      "2025-02",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no publisher "nobody"');
    const tooLong = await saasport(
      "revenue",
      "--publisher",
      "contoso",
      "--from",
      "2000-01",
      "--to",
      "2025-02",
    );
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain("at most 120 months apart");
    const printed: string[] = [];
    const error = vi
      .spyOn(console, "error")
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    const wrongKey = await main(["payouts", "--url", server.url, "--operator-key", "wrong"]);
    error.mockRestore();
    expect(wrongKey).toBe(2);
    expect(printed.join("\n")).toContain("answered 401");
  });

  it("documents its flags in --help", async () => {
    const help = await saasport("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("statements");
    expect(help.stdout).toContain("revenue");
    const statementsHelp = await saasport("statements", "--help");
    expect(statementsHelp.stdout).toContain("--publisher <id>");
    const revenueHelp = await saasport("revenue", "--help");
    expect(revenueHelp.stdout).toContain("at most 120 months after --from");
  });
});
