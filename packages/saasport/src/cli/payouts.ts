import type { Command } from "commander";
import type { PayoutStatementView } from "../billing/payouts.js";
import { addClientOptions, CliError, type ClientFlags, operatorKeyOf, request } from "./client.js";

interface PayoutFlags extends ClientFlags {
  publisher?: string;
  from?: string;
  to?: string;
  csv?: boolean;
}

type Statement = PayoutStatementView;

interface Totals {
  total: string;
  invoiced: string;
  collected: string;
  resellerMargin: string | null;
}

interface RevenueAnswer {
  publisherId: string;
  from: string;
  to: string;
  months: (Totals & {
    month: string;
    currency: string;
    offers: (Totals & { offerId: string; planId: string; byKind: Record<string, string> })[];
  })[];
}

const lineKinds = ["instalment", "prorationCredit", "prorationCharge", "refund", "overage"] as const;

function checkedMonth(flag: string, value: string | undefined): void {
  if (value !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    throw new CliError(`${flag} takes a month such as 2025-03 (YYYY-MM), got "${value}".`);
  }
}

/** The query string of the flags that are set; CSV is asked of the server, which writes it. */
function queryOf(flags: PayoutFlags, fields: Record<string, string | undefined>): string {
  if (flags.csv && flags.json) throw new CliError("Choose one of --csv and --json.");
  checkedMonth("--from", flags.from);
  checkedMonth("--to", flags.to);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) query.set(name, value);
  if (flags.csv) query.set("format", "csv");
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** Columns padded to their widest cell; amounts and counts are right-aligned. */
function printTable(headers: string[], rows: (string | number)[][], rightAligned: ReadonlySet<number>): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  for (const row of cells) {
    const padded = row.map((cell, column) =>
      rightAligned.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
    );
    console.log(padded.join("  ").trimEnd());
  }
}

/** JSON with --json, the server's CSV with --csv, otherwise what `describe` prints for people. */
function output(flags: PayoutFlags, answer: unknown, describe: () => void): void {
  if (flags.csv) process.stdout.write(String(answer));
  else if (flags.json) console.log(JSON.stringify(answer, null, 2));
  else describe();
}

async function showStatements(flags: PayoutFlags): Promise<void> {
  const query = queryOf(flags, { publisherId: flags.publisher, from: flags.from, to: flags.to });
  const answer = (await request(flags, "GET", `/operator/v1/payouts${query}`, {
    bearer: operatorKeyOf(flags),
  })) as { storeFeePercent: string; statements: Statement[] };
  output(flags, answer, () => {
    if (answer.statements.length === 0) {
      console.log("No payout statements: no paid invoices in that range.");
      return;
    }
    console.log(`Store fee ${answer.storeFeePercent}% of the money collected each month.`);
    printTable(
      ["PUBLISHER", "MONTH", "CURRENCY", "COLLECTED", "STORE FEE", "PAYOUT", "INVOICES", "LINES"],
      answer.statements.map((row) => [
        row.publisherId,
        row.month,
        row.currency,
        row.collected,
        row.storeFee,
        row.payout,
        row.invoices,
        row.lines,
      ]),
      new Set([3, 4, 5, 6, 7]),
    );
  });
}

async function showRevenue(flags: PayoutFlags): Promise<void> {
  const missing = (["publisher", "from", "to"] as const).filter((name) => flags[name] === undefined);
  if (missing.length > 0) {
    throw new CliError(
      `payouts revenue needs ${missing.map((name) => `--${name}`).join(", ")}; e.g. --publisher contoso --from 2025-01 --to 2025-12.`,
    );
  }
  const query = queryOf(flags, { publisherId: flags.publisher, from: flags.from, to: flags.to });
  const answer = (await request(flags, "GET", `/operator/v1/revenue${query}`, {
    bearer: operatorKeyOf(flags),
  })) as RevenueAnswer;
  output(flags, answer, () => {
    console.log(
      `Revenue of ${answer.publisherId}, ${answer.from} to ${answer.to}, by the month the lines are dated.`,
    );
    if (answer.months.length === 0) {
      console.log("No ledger lines in that range.");
      return;
    }
    const rows = answer.months.flatMap((month) => [
      ...month.offers.map((plan) => [
        month.month,
        month.currency,
        plan.offerId,
        plan.planId,
        ...lineKinds.map((kind) => plan.byKind[kind] ?? ""),
        plan.total,
        plan.invoiced,
        plan.collected,
        plan.resellerMargin ?? "-",
      ]),
      ...(month.offers.length > 1
        ? [
            [
              month.month,
              month.currency,
              "(all)",
              "",
              ...lineKinds.map(() => ""),
              month.total,
              month.invoiced,
              month.collected,
              month.resellerMargin ?? "-",
            ],
          ]
        : []),
    ]);
    printTable(
      [
        "MONTH",
        "CURRENCY",
        "OFFER",
        "PLAN",
        "INSTALMENTS",
        "PRORATION CREDITS",
        "PRORATION CHARGES",
        "REFUNDS",
        "OVERAGE",
        "TOTAL",
        "INVOICED",
        "COLLECTED",
        "RESELLER MARGIN",
      ],
      rows,
      new Set([4, 5, 6, 7, 8, 9, 10, 11, 12]),
    );
  });
}

/** `saasport payouts …`: publishers' monthly payout statements and revenue. */
export function registerPayoutsCommand(program: Command): void {
  // `payouts` itself takes no options: they would swallow those of `payouts revenue` (commander hands
  // a parent its options wherever they stand), so the statements are its default subcommand.
  const payouts = program
    .command("payouts")
    .description("Publishers' monthly payout statements (the default) and revenue reports.")
    .addHelpText(
      "after",
      "\nRun `saasport payouts statements --help` for the statement flags (--publisher, --from, --to, --csv).",
    );

  addClientOptions(
    payouts
      .command("statements", { isDefault: true })
      .description(
        "Monthly payout statements: money collected (invoices paid) per publisher, month and currency, the store fee and the payout.",
      )
      .option("--publisher <id>", "only this publisher's statements")
      .option("--from <month>", "first month the money was collected in, YYYY-MM")
      .option("--to <month>", "last month, YYYY-MM")
      .option("--csv", "print CSV (RFC 4180) instead of a table"),
  ).action((flags: PayoutFlags) => showStatements(flags));

  addClientOptions(
    payouts
      .command("revenue")
      .description(
        "A publisher's revenue per month, currency, offer and plan, by line kind, with what is invoiced and collected.",
      )
      .option("--publisher <id>", "the publisher (required)")
      .option("--from <month>", "first month, YYYY-MM (required)")
      .option("--to <month>", "last month, YYYY-MM, at most 120 months after --from (required)")
      .option("--csv", "print CSV (RFC 4180) instead of a table"),
  ).action((flags: PayoutFlags) => showRevenue(flags));
}
