import { Command, CommanderError } from "commander";
import { CatalogValidationError } from "../catalog/validation/issues.js";
import { SettingsError } from "../config/sources.js";
import { CliError } from "./client.js";
import { registerClockCommand } from "./clock.js";
import { registerEventsCommand } from "./events.js";
import { registerFaultsCommand } from "./faults.js";
import { registerInvoicesCommand } from "./invoices.js";
import { registerKeysCommand } from "./keys.js";
import { registerPayoutsCommand } from "./payouts.js";
import { registerPurchaseCommand } from "./purchase.js";
import { registerServeCommand } from "./serve.js";
import { registerSubscriptionCommand } from "./subscriptions.js";
import { registerTokenCommand } from "./token.js";
import { packageVersion } from "./version.js";

/** Builds the `saasport` command line. Each command lives in its own file and registers itself here. */
export function buildProgram(): Command {
  const program = new Command("saasport")
    .description(
      "A self-hostable SaaS marketplace that speaks the Azure Marketplace SaaS Fulfillment and Metering APIs.",
    )
    .version(packageVersion(), "-V, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerServeCommand(program);
  registerPurchaseCommand(program);
  registerTokenCommand(program);
  registerKeysCommand(program);
  registerFaultsCommand(program);
  registerEventsCommand(program);
  registerSubscriptionCommand(program);
  registerClockCommand(program);
  registerInvoicesCommand(program);
  registerPayoutsCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (
      error instanceof SettingsError ||
      error instanceof CliError ||
      error instanceof CatalogValidationError
    ) {
      console.error(`saasport: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
