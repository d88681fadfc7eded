import type { Command } from "commander";
import { addClientOptions, CliError, type ClientFlags, operatorKeyOf, print, request } from "./client.js";

interface PurchaseFlags extends ClientFlags {
  offer: string;
  plan: string;
  publisher?: string;
  seats?: string;
  term?: string;
  paymentOption?: string;
  tenant?: string;
  purchaserTenant?: string;
  email?: string;
  name?: string;
  market?: string;
  testClock?: string;
}

/** The demo catalog's buyer (Fabrikam), so `saasport purchase` works on a fresh demo with no flags beyond the plan. */
const demoBuyerTenant = "33333333-3333-3333-3333-333333333333";

export function registerPurchaseCommand(program: Command): void {
  addClientOptions(
    program
      .command("purchase")
      .description(
        "Buy a plan as a customer: starts a subscription and prints its landing page URL with the token.",
      )
      .requiredOption("--offer <offerId>", "offer to buy, e.g. contoso-crm")
      .requiredOption("--plan <planId>", "plan to buy, e.g. team")
      .option(
        "--publisher <publisherId>",
        "publisher of the offer, when several publishers use the same offer id",
      )
      .option("--seats <n>", "seats, for per-user plans (default: the plan's minimum)")
      .option("--term <termUnit>", "billing term: P1M, P1Y, P2Y, P3Y, P4Y or P5Y (default: the plan's first)")
      .option("--payment-option <option>", "upfront, monthly or annual (default: the term's)")
      .option(
        "--tenant <tenantId>",
        `buyer (beneficiary) tenant id (default: the demo buyer ${demoBuyerTenant})`,
      )
      .option("--purchaser-tenant <tenantId>", "reseller tenant buying on the customer's behalf")
      .option("--email <address>", "buyer's e-mail address")
      .option("--name <name>", "subscription name")
      .option("--market <code>", "two-letter market, e.g. US")
      .option("--test-clock <name>", "run the subscription on this test clock (see `saasport clock`)"),
  ).action(async (flags: PurchaseFlags) => {
    const seats = flags.seats === undefined ? undefined : Number(flags.seats);
    if (seats !== undefined && (!Number.isInteger(seats) || seats < 1)) {
      throw new CliError(`--seats must be a whole number of at least 1, got "${flags.seats}"`);
    }
    const result = (await request(flags, "POST", "/store/v1/purchases", {
      bearer: operatorKeyOf(flags),
      body: {
        offerId: flags.offer,
        planId: flags.plan,
        ...(flags.publisher ? { publisherId: flags.publisher } : {}),
        ...(seats === undefined ? {} : { quantity: seats }),
        ...(flags.term ? { termUnit: flags.term } : {}),
        ...(flags.paymentOption ? { paymentOption: flags.paymentOption } : {}),
        ...(flags.market ? { market: flags.market } : {}),
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.testClock ? { testClock: flags.testClock } : {}),
        beneficiary: {
          tenantId: flags.tenant ?? demoBuyerTenant,
          ...(flags.email ? { emailId: flags.email } : {}),
        },
        ...(flags.purchaserTenant ? { purchaser: { tenantId: flags.purchaserTenant } } : {}),
      },
    })) as { subscriptionId: string; token: string; landingPageUrl: string };
    print(flags, result, [
      ["subscription", result.subscriptionId],
      ["landing page", result.landingPageUrl],
      ["token", result.token],
    ]);
  });
}
