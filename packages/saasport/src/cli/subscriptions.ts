import type { Command } from "commander";
import { addClientOptions, CliError, type ClientFlags, operatorKeyOf, print, request } from "./client.js";

interface SubscriptionView {
  id: string;
  publisherId: string;
  offerId: string;
  planId: string;
  quantity?: number;
  saasSubscriptionStatus: string;
  autoRenew: boolean;
  isFreeTrial: boolean;
  term: { startDate?: string; endDate?: string; termUnit: string };
  channel: string;
  testClock: string | null;
  nextTransition: { kind: string; at: string } | null;
  pendingOperation: { id: string; action: string; status: string } | null;
}

interface ActionResult {
  subscriptionId: string;
  operationId?: string;
  operationStatus?: string;
  event?: { type: string; seq: number };
}

function showSubscription(flags: ClientFlags, view: SubscriptionView): void {
  print(flags, view as unknown as Record<string, unknown>, [
    ["subscription", view.id],
    ["offer", `${view.publisherId}/${view.offerId}`],
    ["plan", view.planId],
    ["seats", view.quantity ?? "-"],
    ["status", view.saasSubscriptionStatus],
    ["term", `${view.term.termUnit} ${view.term.startDate ?? "?"} → ${view.term.endDate ?? "?"}`],
    ["auto-renew", view.autoRenew ? "on" : "off"],
    ["free trial", view.isFreeTrial ? "yes" : "no"],
    ["channel", view.channel],
    ["test clock", view.testClock ?? "(global)"],
    ["next", view.nextTransition ? `${view.nextTransition.kind} at ${view.nextTransition.at}` : "-"],
    [
      "pending",
      view.pendingOperation
        ? `${view.pendingOperation.action} ${view.pendingOperation.status} (${view.pendingOperation.id})`
        : "-",
    ],
  ]);
}

function showResult(flags: ClientFlags, result: ActionResult): void {
  print(flags, result as unknown as Record<string, unknown>, [
    ["subscription", result.subscriptionId],
    ["operation", result.operationId ? `${result.operationId} (${result.operationStatus})` : "-"],
    ["event", result.event ? `${result.event.type} #${result.event.seq}` : "(no change)"],
  ]);
}

/** An action on one subscription, done by the operator (on a buyer's behalf, or as billing). */
function action(
  parent: Command,
  name: string,
  description: string,
  method: string,
  path: (id: string) => string,
  body?: (value: string) => unknown,
) {
  const command = parent.command(body ? `${name} <subscriptionId> <value>` : `${name} <subscriptionId>`);
  addClientOptions(command.description(description)).action(
    async (id: string, valueOrFlags: string | ClientFlags, maybeFlags?: ClientFlags) => {
      const flags = (body ? maybeFlags : valueOrFlags) as ClientFlags;
      const result = (await request(flags, method, path(id), {
        bearer: operatorKeyOf(flags),
        ...(body ? { body: body(valueOrFlags as string) } : {}),
      })) as ActionResult;
      showResult(flags, result);
    },
  );
}

function seats(value: string): { quantity: number } {
  const quantity = Number(value);
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw new CliError(`Seats must be a whole number of at least 1, got "${value}"`);
  }
  return { quantity };
}

function onOff(value: string): { autoRenew: boolean } {
  if (value === "on" || value === "off") return { autoRenew: value === "on" };
  throw new CliError(`auto-renew takes "on" or "off", got "${value}"`);
}

export function registerSubscriptionCommand(program: Command): void {
  const subscription = program
    .command("subscription")
    .description(
      "Look at a subscription and drive its lifecycle as the marketplace (buyer actions, billing events).",
    );
  const path = (id: string) => `/operator/v1/subscriptions/${encodeURIComponent(id)}`;

  addClientOptions(
    subscription.command("show <subscriptionId>").description("Status, term, seats and what happens next."),
  ).action(async (id: string, flags: ClientFlags) => {
    const view = (await request(flags, "GET", path(id), {
      bearer: operatorKeyOf(flags),
    })) as SubscriptionView;
    showSubscription(flags, view);
  });
  action(
    subscription,
    "change-plan",
    "Change the plan as the buyer would; waits for the publisher.",
    "PATCH",
    path,
    (planId) => ({
      planId,
    }),
  );
  action(
    subscription,
    "change-seats",
    "Change the seat count as the buyer would; waits for the publisher.",
    "PATCH",
    path,
    seats,
  );
  action(subscription, "auto-renew", 'Turn auto-renew "on" or "off".', "PATCH", path, onOff);
  action(subscription, "cancel", "Cancel as the buyer would (Unsubscribe webhook).", "DELETE", path);
  action(
    subscription,
    "payment-failed",
    "Report a failed payment: Suspended, Suspend webhook.",
    "POST",
    (id) => `${path(id)}/payment-failed`,
  );
  action(
    subscription,
    "payment-recovered",
    "Report the payment recovered: Reinstate webhook, Subscribed once the publisher acknowledges.",
    "POST",
    (id) => `${path(id)}/payment-recovered`,
  );
  action(
    subscription,
    "renew",
    "Renew now: the next term starts today (Renew webhook).",
    "POST",
    (id) => `${path(id)}/renew`,
  );
}
