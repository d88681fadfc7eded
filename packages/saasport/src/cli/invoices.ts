import type { Command } from "commander";
import { toCsv } from "../billing/csv.js";
import { invoiceColumns } from "../billing/routes/invoices/csv-columns.js";
import type { InvoiceViewShape, LineViewShape } from "../billing/routes/invoices/views.js";
import { addClientOptions, CliError, type ClientFlags, operatorKeyOf, print, request } from "./client.js";

interface ListFlags extends ClientFlags {
  account?: string;
  status?: string;
  month?: string;
  testClock?: string;
  limit?: string;
  after?: string;
  all?: boolean;
  csv?: boolean;
}

interface ShowFlags extends ClientFlags {
  csv?: boolean;
}

interface RunFlags extends ClientFlags {
  testClock?: string;
}

interface InvoicePage {
  invoices: InvoiceViewShape[];
  next: string | null;
}

interface SubscriptionChange {
  subscriptionId: string;
  operationId: string | null;
  operationStatus: string | null;
}

interface PaymentAnswer {
  invoice: InvoiceViewShape;
  suspended: SubscriptionChange[];
  reinstated: SubscriptionChange[];
  unchanged: { subscriptionId: string; reason: string }[];
}

interface RunAnswer {
  runs: { testClock: string | null; linesComputed: number; invoicesIssued: number; linesInvoiced: number }[];
}

const clockLabel = (name: string | null) => (name === null ? "global" : name);
const invoicePath = (id: string) => `/operator/v1/invoices/${encodeURIComponent(id)}`;

/** Aligned columns; `right` names the columns that hold amounts or counts. */
export function formatTable(
  header: string[],
  rows: string[][],
  right: ReadonlySet<number> = new Set(),
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        right.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function invoiceTable(invoices: readonly InvoiceViewShape[]): string {
  return formatTable(
    ["INVOICE", "MONTH", "ACCOUNT", "CLOCK", "STATUS", "TOTAL", "LINES"],
    invoices.map((invoice) => [
      invoice.id,
      invoice.month,
      invoice.billingAccount,
      clockLabel(invoice.testClock),
      invoice.status,
      `${invoice.total} ${invoice.currency}`,
      String(invoice.lineCount),
    ]),
    new Set([5, 6]),
  );
}

function listQuery(flags: ListFlags, after: string | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({
    billingAccount: flags.account,
    status: flags.status,
    month: flags.month,
    testClock: flags.testClock,
    limit: flags.limit,
    after,
  })) {
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** One page, or with --all every page (following `next`). */
async function fetchInvoices(flags: ListFlags): Promise<InvoicePage> {
  const invoices: InvoiceViewShape[] = [];
  let after = flags.after;
  for (;;) {
    const page = (await request(flags, "GET", `/operator/v1/invoices${listQuery(flags, after)}`, {
      bearer: operatorKeyOf(flags),
    })) as InvoicePage;
    invoices.push(...page.invoices);
    if (!flags.all || page.next === null) return { invoices, next: page.next };
    after = page.next;
  }
}

function printPayment(flags: ClientFlags, answer: PaymentAnswer): void {
  const { invoice } = answer;
  const changes = (verb: string, list: SubscriptionChange[]): Array<[string, unknown]> =>
    list.map((change) => [
      verb,
      `${change.subscriptionId}${change.operationId ? ` (operation ${change.operationId}, ${change.operationStatus})` : ""}`,
    ]);
  print(flags, answer as unknown as Record<string, unknown>, [
    ["invoice", invoice.id],
    ["month", `${invoice.month} (${clockLabel(invoice.testClock)} clock)`],
    ["account", invoice.billingAccount],
    ["total", `${invoice.total} ${invoice.currency}`],
    ["status", invoice.status],
    ["paid at", invoice.paidAt ?? "-"],
    ["failed at", invoice.failedAt ?? "-"],
    ...changes("suspended", answer.suspended),
    ...changes("reinstated", answer.reinstated),
    ...answer.unchanged.map((item): [string, unknown] => [
      "unchanged",
      `${item.subscriptionId}: ${item.reason}`,
    ]),
  ]);
}

/** `saasport invoices`: list, show, export, pay and fail invoices, and run the month-end invoicing. */
export function registerInvoicesCommand(program: Command): void {
  const invoices = program
    .command("invoices")
    .description(
      "Look at the invoices the billing ledger issued, export them as CSV, mark them paid or failed, and invoice now.",
    );

  addClientOptions(
    invoices
      .command("list")
      .description("Print invoices, newest month first (100 a page; --all for every page)")
      .option("--account <tenantId>", "only this billing account (the paying tenant)")
      .option("--status <status>", "only open, paid or failed invoices")
      .option("--month <yyyy-mm>", "only this billing month, e.g. 2025-01")
      .option("--test-clock <name>", 'only this test clock ("" for the global clock)')
      .option("--limit <n>", "invoices per page, 1 to 1000 (default 100)")
      .option("--after <cursor>", "start after this cursor (printed when there are more)")
      .option("--all", "follow every page")
      .option("--csv", "print CSV (one row per invoice) instead of a table"),
  ).action(async (flags: ListFlags) => {
    const page = await fetchInvoices(flags);
    if (flags.csv) process.stdout.write(toCsv(invoiceColumns, page.invoices));
    else if (flags.json) console.log(JSON.stringify(page, null, 2));
    else console.log(page.invoices.length === 0 ? "(no invoices)" : invoiceTable(page.invoices));
    if (page.next !== null && !flags.json) console.error(`(more: --after '${page.next}')`);
  });

  addClientOptions(
    invoices
      .command("show")
      .description("Print one invoice and its lines")
      .argument("<invoiceId>", "the invoice's id")
      .option("--csv", "print its lines as CSV (one row per line)"),
  ).action(async (id: string, flags: ShowFlags) => {
    const bearer = operatorKeyOf(flags);
    if (flags.csv) {
      process.stdout.write(String(await request(flags, "GET", `${invoicePath(id)}?format=csv`, { bearer })));
      return;
    }
    const invoice = (await request(flags, "GET", invoicePath(id), { bearer })) as InvoiceViewShape & {
      lines: LineViewShape[];
    };
    print(flags, invoice as unknown as Record<string, unknown>, [
      ["invoice", invoice.id],
      ["account", invoice.billingAccount],
      ["month", invoice.month],
      ["clock", clockLabel(invoice.testClock)],
      ["status", invoice.status],
      ["total", `${invoice.total} ${invoice.currency}`],
      ["issued at", invoice.issuedAt],
      ["paid at", invoice.paidAt ?? "-"],
      ["failed at", invoice.failedAt ?? "-"],
    ]);
    if (flags.json) return;
    console.log("");
    console.log(
      formatTable(
        ["DAY", "KIND", "DESCRIPTION", "SUBSCRIPTION", "AMOUNT"],
        invoice.lines.map((line) => [
          line.onDay,
          line.kind,
          line.description,
          line.subscriptionId,
          line.amount,
        ]),
        new Set([4]),
      ),
    );
  });

  for (const [action, description] of [
    ["pay", "Mark an open or failed invoice paid; a failed one's suspended subscriptions are reinstated"],
    ["fail", "Mark an open invoice's payment failed; its subscriptions are suspended (Suspend webhook)"],
  ] as const) {
    addClientOptions(
      invoices.command(action).description(description).argument("<invoiceId>", "the invoice's id"),
    ).action(async (id: string, flags: ClientFlags) => {
      const answer = (await request(flags, "POST", `${invoicePath(id)}/${action}`, {
        bearer: operatorKeyOf(flags),
      })) as PaymentAnswer;
      printPayment(flags, answer);
    });
  }

  addClientOptions(
    invoices
      .command("run")
      .description("Bring the ledger up to now and issue the invoices of every month that ended")
      .option("--test-clock <name>", 'only this test clock ("" for the global clock); default every clock'),
  ).action(async (flags: RunFlags) => {
    const query = flags.testClock === undefined ? "" : `?testClock=${encodeURIComponent(flags.testClock)}`;
    const answer = (await request(flags, "POST", `/operator/v1/billing/run${query}`, {
      bearer: operatorKeyOf(flags),
    })) as RunAnswer;
    if (flags.json) {
      console.log(JSON.stringify(answer, null, 2));
      return;
    }
    console.log(
      formatTable(
        ["CLOCK", "LINES COMPUTED", "INVOICES ISSUED", "LINES INVOICED"],
        answer.runs.map((run) => [
          clockLabel(run.testClock),
          String(run.linesComputed),
          String(run.invoicesIssued),
          String(run.linesInvoiced),
        ]),
        new Set([1, 2, 3]),
      ),
    );
  });

  // Two output formats at once is a mistake of the command line itself: refuse it before any request.
  for (const command of invoices.commands) {
    command.hook("preAction", (_parent, actionCommand) => {
      const flags = actionCommand.opts<ShowFlags>();
      if (flags.csv && flags.json) throw new CliError("Choose one of --csv and --json.");
    });
  }
}
