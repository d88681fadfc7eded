import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { killChildren } from "./child-processes.mjs";
import { runEndpointPhase } from "./endpoint-phase.mjs";
import { invoiceUsage, reportInvoicePhase, runInvoicePhase } from "./invoices.mjs";
import { machineDetails } from "./machine.mjs";
import { meteringNotes, meteringRows, runMeteringPhase } from "./metering.mjs";
import { parseOptions, UsageError, usage } from "./options.mjs";
import { summarizeProfile } from "./profile-summary.mjs";
import { say } from "./progress.mjs";
import { markdownTable, resultNotes, resultRows } from "./report.mjs";
import { resultsFile, resultsSection, writeResults } from "./results-doc.mjs";
import { loadSaasportModules } from "./saasport-dist.mjs";
import { runStartupPhase } from "./startup-phase.mjs";
import { runWebhookPhase, webhookNotes, webhookRows } from "./webhooks.mjs";

/** The invoice phase's flags, taken out before the other options are parsed. */
function invoiceFlags(argv) {
  const rest = [];
  const flags = { skip: false, subscriptions: 100_000 };
  for (let index = 0; index < argv.length; index++) {
    const [name, inline] = argv[index].split(/=(.*)/s);
    if (name === "--skip-invoices") flags.skip = true;
    else if (name === "--invoice-subscriptions") {
      const raw = inline ?? argv[++index] ?? "";
      if (!/^\d+$/.test(raw) || Number(raw) < 100) {
        throw new UsageError(`--invoice-subscriptions must be a whole number of at least 100, got "${raw}"`);
      }
      flags.subscriptions = Number(raw);
    } else rest.push(argv[index]);
  }
  return { flags, rest };
}

async function main(argv) {
  let options;
  let invoices;
  try {
    const { flags, rest } = invoiceFlags(argv);
    invoices = flags;
    options = parseOptions(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n(npm run bench -- --help lists the options)\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage + invoiceUsage);
    return 0;
  }
  if (options.profileDir) {
    options.profileDir = resolve(options.profileDir);
    mkdirSync(options.profileDir, { recursive: true });
  }
  const saasport = await loadSaasportModules();
  const machine = await machineDetails(options);
  say(`${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, ${machine.database}`);
  if (machine.loadAverage > machine.cores / 2) {
    say(
      `warning: the load average is ${machine.loadAverage.toFixed(2)}; other work on this machine will lower the results`,
    );
  }

  const endpointPhase = await runEndpointPhase(options, saasport);
  const startupPhase = options.skipStartup ? undefined : await runStartupPhase(options, saasport);
  const webhookPhase = options.skipWebhooks ? undefined : await runWebhookPhase(options, saasport);
  const meteringPhase = options.skipMetering ? undefined : await runMeteringPhase(options, saasport);
  const invoiceOptions = {
    ...options,
    invoiceSubscriptions: invoices.subscriptions,
    invoiceMemoryCheck: true,
    loadAverageAtStart: machine.loadAverage,
    startedAt: machine.date,
  };
  const invoicePhase = invoices.skip ? undefined : await runInvoicePhase(invoiceOptions, saasport);

  const table = markdownTable([
    ...resultRows({ options, endpointPhase, startupPhase }),
    ...(webhookPhase ? webhookRows(webhookPhase) : []),
    ...(meteringPhase ? meteringRows(meteringPhase) : []),
  ]);
  const notes = [
    ...resultNotes({ options, endpointPhase, startupPhase }),
    ...(webhookPhase ? webhookNotes(webhookPhase) : []),
    ...(meteringPhase ? meteringNotes(meteringPhase) : []),
  ];
  process.stdout.write(`\n${table}\n\n${notes.map((note) => `- ${note}`).join("\n")}\n`);
  if (options.profileDir) process.stdout.write(`\n${summarizeProfile(options.profileDir)}\n`);
  const command = ["npm run bench", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" ");
  if (!options.printOnly) {
    writeResults(options.database, resultsSection({ options, command, machine, table, notes }));
    say(`results written to ${resultsFile}`);
  }
  if (invoicePhase) await reportInvoicePhase(invoiceOptions, invoicePhase, command);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
    // A phase that failed may have left a server or receiver running; they must not keep the run alive.
    killChildren();
  },
);
