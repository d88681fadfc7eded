import type { Command } from "commander";
import { baseUrlOf, CliError, request } from "./client.js";

interface TokenFlags {
  url?: string;
  json?: boolean;
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  v1?: boolean;
}

const marketplaceResource = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

export function registerTokenCommand(program: Command): void {
  program
    .command("token")
    .description(
      "Get a bearer token for the marketplace API as a publisher app (client credentials), and print it for curl:\n" +
        '  curl -H "Authorization: Bearer $(npx saasport token --tenant … --client-id … --client-secret …)" …',
    )
    .option("--tenant <tenantId>", "the publisher's tenant id [env SAASPORT_TENANT_ID]")
    .option("--client-id <appId>", "the publisher app's client (application) id [env SAASPORT_CLIENT_ID]")
    .option("--client-secret <secret>", "a client secret of that app [env SAASPORT_CLIENT_SECRET]")
    .option("--v1", "use the v1 endpoint (/oauth2/token with resource=) instead of v2 (/oauth2/v2.0/token)")
    .option("--url <url>", "Saasport's base URL [env SAASPORT_URL] (default http://127.0.0.1:4680)")
    .option("--json", "print the whole token response as JSON instead of the bare token")
    .action(async (flags: TokenFlags) => {
      const tenant = required(
        flags.tenant ?? process.env.SAASPORT_TENANT_ID,
        "--tenant",
        "SAASPORT_TENANT_ID",
      );
      const clientId = required(
        flags.clientId ?? process.env.SAASPORT_CLIENT_ID,
        "--client-id",
        "SAASPORT_CLIENT_ID",
      );
      const clientSecret = required(
        flags.clientSecret ?? process.env.SAASPORT_CLIENT_SECRET,
        "--client-secret",
        "SAASPORT_CLIENT_SECRET",
      );
      const form: Record<string, string> = {
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
        ...(flags.v1 ? { resource: marketplaceResource } : { scope: `${marketplaceResource}/.default` }),
      };
      const path = `/${encodeURIComponent(tenant)}/oauth2/${flags.v1 ? "token" : "v2.0/token"}`;
      const answer = (await withTlsHint(flags, () => request(flags, "POST", path, { form }))) as {
        access_token: string;
      };
      console.log(flags.json ? JSON.stringify(answer, null, 2) : answer.access_token);
    });
}

function required(value: string | undefined, flag: string, env: string): string {
  if (value) return value;
  throw new CliError(
    `${flag} is required (or set ${env}); the publisher's credentials come from its technical configuration.`,
  );
}

/**
 * Over HTTPS, "not reachable" is often Node refusing Saasport's self-signed certificate; say how to
 * trust it rather than loosening certificate checks.
 */
export async function withTlsHint<T>(flags: { url?: string }, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      error instanceof CliError &&
      error.message.startsWith("Saasport is not reachable") &&
      baseUrlOf(flags).startsWith("https:")
    ) {
      throw new CliError(
        `${error.message}\nIf it is running with --tls, trust its certificate: NODE_EXTRA_CA_CERTS=<data>/tls/cert.pem npx saasport …`,
      );
    }
    throw error;
  }
}
