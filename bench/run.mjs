import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { runEndpointPhase } from "./endpoint-phase.mjs";
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

async function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n(npm run bench -- --help lists the options)\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage);
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
  if (!options.printOnly) {
    const command = ["npm run bench", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" ");
    writeResults(options.database, resultsSection({ options, command, machine, table, notes }));
    say(`results written to ${resultsFile}`);
  }
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
  },
);
