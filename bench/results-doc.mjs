import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "./saasport-dist.mjs";

export const resultsFile = join(repositoryRoot, "docs/benchmarks.md");
const resultsHeading = "## Results";

function machineLines(machine) {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGiB.toFixed(1)} GiB; ${machine.os}`,
    `- Node.js ${machine.node}; ${machine.database}`,
    `- Load average when the run started: ${machine.loadAverage.toFixed(2)}`,
    `- Date: ${machine.date}`,
  ];
}

function settingsLine(options, command) {
  const startup = options.skipStartup
    ? "start-up phase skipped"
    : `start-up phase with ${options.startupSubscriptions.toLocaleString("en-US")} subscriptions`;
  return `\`${command}\`: ${options.subscriptions.toLocaleString("en-US")} subscriptions, ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per endpoint, ${startup}.`;
}

/** The results section: how the run was made, where, the table, and its notes. */
export function resultsSection({ options, command, machine, table, notes }) {
  return [
    resultsHeading,
    "",
    settingsLine(options, command),
    "",
    ...machineLines(machine),
    "",
    table,
    "",
    ...notes.map((note) => `- ${note}`),
    "",
  ].join("\n");
}

/** Replaces everything from the results heading on, keeping the introduction above it. */
export function writeResults(section) {
  const existing = existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "# Benchmarks\n";
  const at = existing.indexOf(`\n${resultsHeading}\n`);
  const introduction = at === -1 ? `${existing.trimEnd()}\n` : existing.slice(0, at + 1);
  writeFileSync(resultsFile, `${introduction}\n${section}`.replace(/\n{3,}/g, "\n\n"));
}
