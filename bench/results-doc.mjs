import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "./saasport-dist.mjs";

export const resultsFile = join(repositoryRoot, "docs/benchmarks.md");

const databaseNames = { sqlite: "SQLite", postgres: "PostgreSQL" };

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

function headingOf(database) {
  return `## Results on ${databaseNames[database]}`;
}

/** The results section of one database: how the run was made, where, the table, and its notes. */
export function resultsSection({ options, command, machine, table, notes }) {
  return [
    headingOf(options.database),
    "",
    settingsLine(options, command),
    "",
    ...machineLines(machine),
    "",
    table,
    "",
    ...notes.map((note) => `- ${note}`),
  ].join("\n");
}

/**
 * Replaces the results section of the run's database (up to the next `## ` heading), or adds it at
 * the end; the introduction and the other database's results stay as they are.
 */
export function writeResults(database, section) {
  const existing = existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "# Benchmarks\n";
  const heading = `\n${headingOf(database)}\n`;
  const start = existing.indexOf(heading);
  if (start === -1) {
    writeFileSync(resultsFile, `${existing.trimEnd()}\n\n${section}\n`);
    return;
  }
  const next = existing.indexOf("\n## ", start + heading.length);
  const rest = next === -1 ? "" : `\n${existing.slice(next).trimStart()}`;
  writeFileSync(resultsFile, `${existing.slice(0, start).trimEnd()}\n\n${section}\n${rest}`);
}
