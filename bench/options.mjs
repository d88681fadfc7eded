import { parseArgs } from "node:util";

export const endpointNames = ["get", "resolve", "list", "activate", "change-quantity"];

const defaultAdminUrl = "postgres://postgres@127.0.0.1:5432/postgres";

export const usage = `Usage: npm run bench -- [options]

Measures Saasport (the compiled packages/saasport/dist; run \`npm run build\` first) against a bare
node:http server and the raw durable commit rate of its database, on this machine, and writes the
results to docs/benchmarks.md.

Options:
  --subscriptions <n>          subscriptions seeded for the endpoint runs (default 10000)
  --duration <s>               measured seconds per endpoint (default 5)
  --warmup <s>                 unmeasured seconds before each measured run (default 1)
  --connections <n>            concurrent autocannon connections (default 50)
  --database <sqlite|postgres> database under test (default sqlite)
  --database-url <url>         PostgreSQL server on this machine on which fresh databases are created
                               and dropped (default ${defaultAdminUrl});
                               implies --database postgres
  --commit-seconds <s>         seconds of the raw commit-rate measurement (default 3)
  --endpoints <list>           comma-separated subset of ${endpointNames.join(",")} (default all)
  --startup-subscriptions <n>  subscriptions seeded for the start-time and memory phase (default 100000)
  --skip-startup               skip the start-time and memory phase
  --webhook-deliveries <n>     deliveries queued for the webhook throughput run (default 20000)
  --skip-webhooks              skip the webhook delivery phase
  --skip-metering              skip the batch usage ingestion phase (1,000 subscriptions, 25 events
                               per request, next to raw 25-row insert transactions)
  --profile <dir>              run Saasport with --cpu-prof during the endpoint runs, write the profile
                               to <dir> and print the functions with the most self time
  --print-only                 print the results without writing docs/benchmarks.md
  -h, --help                   show this help
`;

const optionSpec = {
  subscriptions: { type: "string", default: "10000" },
  duration: { type: "string", default: "5" },
  warmup: { type: "string", default: "1" },
  connections: { type: "string", default: "50" },
  database: { type: "string" },
  "database-url": { type: "string" },
  "commit-seconds": { type: "string", default: "3" },
  endpoints: { type: "string", default: endpointNames.join(",") },
  "startup-subscriptions": { type: "string", default: "100000" },
  "skip-startup": { type: "boolean", default: false },
  "webhook-deliveries": { type: "string", default: "20000" },
  "skip-webhooks": { type: "boolean", default: false },
  "skip-metering": { type: "boolean", default: false },
  profile: { type: "string" },
  "print-only": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
};

export class UsageError extends Error {}

function integer(name, raw, min, max) {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function databaseKind(values) {
  const kind = values.database ?? (values["database-url"] ? "postgres" : "sqlite");
  if (kind !== "sqlite" && kind !== "postgres") {
    throw new UsageError(`--database must be sqlite or postgres, got "${kind}"`);
  }
  if (kind === "sqlite" && values["database-url"]) {
    throw new UsageError(
      "--database-url is a PostgreSQL server; it cannot be combined with --database sqlite",
    );
  }
  return kind;
}

const loopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

/** The benchmark only ever talks to this machine. */
function loopbackUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--database-url is not a URL: "${raw}"`);
  }
  if (!loopbackHosts.includes(url.hostname)) {
    throw new UsageError(
      `--database-url must point at this machine (${loopbackHosts.join(", ")}), got ${url.hostname}`,
    );
  }
  return raw;
}

function endpointList(raw) {
  const names = raw.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !endpointNames.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(
      `--endpoints takes names from ${endpointNames.join(", ")}; unknown: ${unknown.join(", ")}`,
    );
  }
  return endpointNames.filter((name) => names.includes(name));
}

/** Parses the command line into the benchmark's options; throws UsageError on a bad value. */
export function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values } = parsed;
  const database = databaseKind(values);
  return {
    help: values.help,
    subscriptions: integer("subscriptions", values.subscriptions, 100, 10_000_000),
    durationSeconds: integer("duration", values.duration, 1, 600),
    warmupSeconds: integer("warmup", values.warmup, 0, 60),
    connections: integer("connections", values.connections, 1, 1000),
    database,
    adminUrl: database === "postgres" ? loopbackUrl(values["database-url"] ?? defaultAdminUrl) : undefined,
    commitSeconds: integer("commit-seconds", values["commit-seconds"], 1, 60),
    endpoints: endpointList(values.endpoints),
    startupSubscriptions: integer("startup-subscriptions", values["startup-subscriptions"], 100, 10_000_000),
    skipStartup: values["skip-startup"],
    webhookDeliveries: integer("webhook-deliveries", values["webhook-deliveries"], 100, 1_000_000),
    skipWebhooks: values["skip-webhooks"],
    skipMetering: values["skip-metering"],
    profileDir: values.profile,
    printOnly: values["print-only"],
  };
}
