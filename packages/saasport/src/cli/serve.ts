import type { Command } from "commander";
import type { Settings } from "../config/settings.js";
import { loadSettings, parseTrustProxy } from "../config/sources.js";
import { type SaasportHandle, startSaasport } from "../runtime.js";

interface ServeFlags {
  host?: string;
  port?: string;
  data?: string;
  databaseUrl?: string;
  catalog?: string;
  operatorKey?: string;
  tls?: boolean;
  auth?: boolean;
  mockApiVersion?: boolean;
  publicUrl?: string;
  trustProxy?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve", { isDefault: true })
    .description(
      "Start Saasport (the default command). A new data directory without --catalog gets the demo catalog.",
    )
    .option("--host <address>", "address to listen on [env SAASPORT_HOST] (default 127.0.0.1)")
    .option("--port <port>", "port to listen on [env SAASPORT_PORT] (default 4680)")
    .option("--data <dir>", "data directory [env SAASPORT_DATA] (default ./.saasport)")
    .option("--database-url <url>", "use PostgreSQL instead of the embedded SQLite file [env DATABASE_URL]")
    .option("--catalog <file>", "load this catalog file (YAML or JSON) on start [env SAASPORT_CATALOG]")
    .option(
      "--operator-key <key>",
      "operator API key [env SAASPORT_OPERATOR_KEY] (default: generated, kept in the data directory)",
    )
    .option("--public-url <url>", "absolute base URL clients use [env SAASPORT_PUBLIC_URL]")
    .option(
      "--trust-proxy <proxies>",
      "believe X-Forwarded-For/-Proto/-Host from these reverse proxies: true, a hop count, or addresses and CIDR ranges separated by commas [env SAASPORT_TRUST_PROXY] (default: none)",
    )
    .option("--tls", "serve HTTPS with a certificate generated in the data directory [env SAASPORT_TLS]")
    .option("--no-auth", "development only: accept /api calls without a token [env SAASPORT_NO_AUTH]")
    .option(
      "--mock-api-version",
      "development only: also accept api-version=2018-09-15, without a token [env SAASPORT_MOCK_API_VERSION]",
    )
    .action(async (flags: ServeFlags) => {
      const overrides: Partial<Settings> = {
        host: flags.host,
        port: flags.port === undefined ? undefined : parsePort(flags.port),
        dataDir: flags.data,
        databaseUrl: flags.databaseUrl,
        catalogFile: flags.catalog,
        operatorKey: flags.operatorKey,
        publicUrl: flags.publicUrl,
        trustProxy:
          flags.trustProxy === undefined ? undefined : parseTrustProxy("--trust-proxy", flags.trustProxy),
        tls: flags.tls,
        noAuth: flags.auth === false ? true : undefined,
        mockApiVersion: flags.mockApiVersion,
      };
      const settings = loadSettings(process.env, overrides);
      const handle = await startSaasport(settings);
      printBanner(handle);
      await waitForShutdown(handle.close);
    });
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number between 0 and 65535, got "${raw}"`);
  }
  return port;
}

function printBanner(handle: SaasportHandle): void {
  const { url, operatorKey, catalog, demoCredentials } = handle;
  const lines = [
    `Saasport is listening on ${url}`,
    `  database          ${handle.database.location}`,
    `  web console       ${url}/  (storefront, publisher portal, operator console)`,
    `  fulfillment API   ${url}/api/saas/subscriptions?api-version=2018-08-31`,
    `  token endpoints   ${url}/{tenantId}/oauth2/token  and  ${url}/{tenantId}/oauth2/v2.0/token`,
    `  API reference     ${url}/docs  (${url}/openapi.json)`,
    `  health            ${url}/healthz`,
    `  operator key      ${operatorKey}`,
  ];
  if (catalog.demo) {
    lines.push("", "Demo catalog. Publisher credentials (authority host = the URL above):");
    for (const credential of demoCredentials) {
      lines.push(
        `  ${credential.publisherId.padEnd(10)} tenant ${credential.tenantId}  client ${credential.clientId}  secret ${credential.clientSecret}`,
      );
    }
    lines.push(
      "",
      "Try: npx saasport purchase --offer contoso-crm --plan team --seats 5",
      "     then open the landing page it prints; the demo ISV app lists what it receives at",
      `     ${url}/demo-isv/contoso/`,
    );
  }
  console.log(lines.join("\n"));
}

function waitForShutdown(close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let closing = false;
    const stop = () => {
      if (closing) return;
      closing = true;
      close().finally(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
