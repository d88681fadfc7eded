import { describeCpuPerRequest } from "./cpu-usage.mjs";
import { meanRate } from "./references.mjs";

/** Start-up and memory targets (the rate targets live with each endpoint). */
export const targets = { startMs: 500, residentMegabytes: 150 };

const megabytes = (bytes) => bytes / 1e6;
const formatMegabytes = (bytes) => `${megabytes(bytes).toFixed(1)} MB`;
const perSecond = (rate) => `${Math.round(rate).toLocaleString("en-US")}/s`;
const milliseconds = (value) => `${value} ms`;
const verdict = (met) => (met ? "met" : "**not met**");

function rateRow(measure, result) {
  return {
    measure,
    result: perSecond(result.ratePerSecond),
    p50: milliseconds(result.p50Ms),
    p99: milliseconds(result.p99Ms),
  };
}

const referenceNames = { http: "node:http", httpPage: "node:http", commit: "commits" };

function endpointRow({ endpoint, result, reference }) {
  const ratio = result.ratePerSecond / reference.rate;
  return {
    ...rateRow(endpoint.label, result),
    ratio: `${ratio.toFixed(2)}×`,
    target: `≥ ${endpoint.targetRatio}× ${referenceNames[endpoint.reference]}`,
    verdict: verdict(ratio >= endpoint.targetRatio),
  };
}

function referenceRow(measure, runs) {
  const rate = meanRate(runs);
  const each = runs.length > 1 ? `, mean of ${runs.length} runs` : "";
  return { measure: `${measure} (reference${each})`, result: perSecond(rate) };
}

/** The rows of the results table: the references, each endpoint, then start time and memory. */
export function resultRows({ options, endpointPhase, startupPhase }) {
  const { references } = endpointPhase;
  const rows = [];
  if (references.http.length > 0)
    rows.push(referenceRow(`bare node:http, ${endpointPhase.bodyBytes}-byte JSON`, references.http));
  if (references.httpPage.length > 0)
    rows.push(referenceRow(`bare node:http, ${endpointPhase.pageBytes}-byte JSON page`, references.httpPage));
  if (references.commit.length > 0) {
    const clients = references.commit[0].clients;
    rows.push(referenceRow(`raw durable single-row commits, ${clients} client(s)`, references.commit));
  }
  rows.push(...endpointPhase.results.map(endpointRow));
  if (startupPhase) {
    const count = startupPhase.subscriptions.toLocaleString("en-US");
    rows.push({
      measure: `spawn to first /healthz 200, ${count} subscriptions (median of ${startupPhase.startTimes.length})`,
      result: `${Math.round(startupPhase.startMs)} ms`,
      target: `≤ ${targets.startMs} ms`,
      verdict: verdict(startupPhase.startMs <= targets.startMs),
    });
    rows.push({
      measure: `RSS after GET warm-up, ${count} subscriptions`,
      result: formatMegabytes(startupPhase.residentBytes),
      target: `≤ ${targets.residentMegabytes} MB`,
      verdict: verdict(megabytes(startupPhase.residentBytes) <= targets.residentMegabytes),
    });
  }
  rows.push({
    measure: `RSS after the endpoint runs, ${options.subscriptions.toLocaleString("en-US")} subscriptions`,
    result: formatMegabytes(endpointPhase.residentBytes),
  });
  return rows;
}

/** Anything a reader should know to trust the rates: unexpected statuses, errors, used-up pools. */
export function resultNotes({ options, endpointPhase, startupPhase }) {
  const notes = [];
  const postgres = options.database === "postgres";
  const { references } = endpointPhase;
  const bracketed = endpointPhase.results.map(
    ({ endpoint, reference }) =>
      `${endpoint.label} ${perSecond(reference.before.rate)} and ${perSecond(reference.after.rate)}`,
  );
  if (bracketed.length > 0)
    notes.push(
      `Each ratio divides by the mean of the endpoint's reference measured right before and right after it (one run serves two neighbouring endpoints of the same kind), so that the machine's drift over the run moves both alike: ${bracketed.join("; ")}.`,
    );
  const bareCpu = [...references.http, ...references.httpPage].map((run) =>
    describeCpuPerRequest(run.cpu, run.answered, false, "node:http"),
  );
  const cpu = endpointPhase.results
    .filter(({ result }) => result.cpu)
    .map(
      ({ endpoint, result }) =>
        `${endpoint.label}: ${describeCpuPerRequest(result.cpu, result.answered, postgres)}`,
    );
  if (cpu.length > 0) notes.push(`CPU per answered request during the measured runs: ${cpu.join("; ")}.`);
  if (bareCpu.length > 0)
    notes.push(`CPU per answer of the bare node:http runs, in order: ${bareCpu.join("; ")}.`);
  for (const { endpoint, result } of endpointPhase.results) {
    if (result.settled) {
      notes.push(
        `${endpoint.label}: ${result.settled.backlog} operations and webhooks were still to do when the run ended, done ${result.settled.seconds.toFixed(2)} s later; the rate is over the run and that time, and the CPU includes it.`,
      );
    }
    const bareRate = meanRate(references.http);
    if (endpoint.reference === "httpPage" && bareRate) {
      const ratio = result.ratePerSecond / bareRate;
      notes.push(
        `${endpoint.label} is compared with a bare node:http server answering a body of its own size (${endpointPhase.pageBytes} bytes); against the ${endpointPhase.bodyBytes}-byte answer it is ${ratio.toFixed(2)}×.`,
      );
    }
    if (result.answered < options.connections) {
      notes.push(
        `${endpoint.label}: only ${result.answered} answers in ${result.seconds.toFixed(1)} s over ${options.connections} connections; Saasport stopped answering this endpoint.`,
      );
    }
    const others = Object.entries(result.statusCounts).filter(
      ([status]) => Number(status) !== endpoint.expectedStatus,
    );
    if (others.length > 0) {
      const listed = others.map(([status, count]) => `${count} × ${status}`).join(", ");
      notes.push(`${endpoint.label}: also answered ${listed} (not counted).`);
    }
    if (result.errors > 0) notes.push(`${endpoint.label}: ${result.errors} connection errors or timeouts.`);
    if (result.exhausted) {
      notes.push(
        `${endpoint.label}: the pool of ${endpointPhase.poolSize.toLocaleString("en-US")} subscriptions was used up after ${result.seconds.toFixed(1)} s; the rate is over that time.`,
      );
    }
  }
  if (startupPhase) {
    notes.push(
      `Start times: ${startupPhase.startTimes.map((ms) => `${Math.round(ms)} ms`).join(", ")}; RSS right after start ${formatMegabytes(startupPhase.idleResidentBytes)}.`,
    );
  }
  return notes;
}

const columns = [
  ["measure", "Measure"],
  ["result", "Result"],
  ["p50", "p50"],
  ["p99", "p99"],
  ["ratio", "Ratio"],
  ["target", "Target"],
  ["verdict", "Verdict"],
];

/** A Markdown table, padded so that it also reads well in a terminal. */
export function markdownTable(rows) {
  const cells = rows.map((row) => columns.map(([key]) => row[key] ?? ""));
  const widths = columns.map(([, title], index) =>
    Math.max(title.length, ...cells.map((line) => line[index].length)),
  );
  const line = (values) => `| ${values.map((value, index) => value.padEnd(widths[index])).join(" | ")} |`;
  return [
    line(columns.map(([, title]) => title)),
    line(widths.map((width) => "-".repeat(width))),
    ...cells.map(line),
  ].join("\n");
}
